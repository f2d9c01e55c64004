import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listen } from '../test-support/listen.js';
import { describeSummary, runLoad } from './load-generator.js';
import { pickRequest } from './pick-request.js';

/*
 * The load generator against a stand-in reservations-service that answers as the real one would
 * for each kind of name, and records what it was sent.
 */
const bodies: { username: string; item_id: unknown; authorization: string }[] = [];
const app = express();
app.use(express.json());
app.post('/reservations', (req, res) => {
  const body = req.body as { username: string; item_id: unknown };
  bodies.push({ ...body, authorization: req.get('authorization') ?? '' });
  const known = /^[a-z]+$/.test(body.username) && !['ghost', 'nobody'].includes(body.username);
  res.setHeader('x-trace-id', String(bodies.length).padStart(32, '0'));
  res.type('text/plain').send(known ? 'success' : 'failure, limit not found');
});

let server: Awaited<ReturnType<typeof listen>>;
beforeAll(async () => {
  server = await listen(app);
});
afterAll(() => server.close());

describe('pickRequest', () => {
  it('mixes regulars, fresh names and names the user-service refuses', () => {
    const picks = Array.from({ length: 2000 }, () => pickRequest());
    const malformedOrUnknown = picks.filter(
      (p) => !/^[a-z]+$/.test(p.username) || ['ghost', 'nobody'].includes(p.username),
    );
    expect(malformedOrUnknown.length / picks.length).toBeGreaterThan(0.08);
    expect(malformedOrUnknown.length / picks.length).toBeLessThan(0.25);
    expect(new Set(picks.map((p) => p.username)).size).toBeGreaterThan(300);
    expect(picks.some((p) => typeof p.itemId === 'number')).toBe(true);
  });
});

describe('runLoad', () => {
  it('sends exactly `count` requests, with a bearer token each, and tallies the answers', async () => {
    bodies.length = 0;
    const summary = await runLoad({ target: server.url, ratePerSecond: 200, count: 40 });
    expect(summary.sent).toBe(40);
    expect(bodies).toHaveLength(40);
    expect(bodies.every((b) => /^Bearer demo-token-[0-9a-f]{16}$/.test(b.authorization))).toBe(true);
    expect((summary.outcomes.success ?? 0) + (summary.outcomes['failure, limit not found'] ?? 0)).toBe(40);
    expect(summary.lastTraceId).toMatch(/^0+\d+$/);
    expect(describeSummary(summary)).toMatch(/^40 sent: \d+ success/);
  });

  it('holds the rate and stops at the duration', async () => {
    const started = Date.now();
    const summary = await runLoad({ target: server.url, ratePerSecond: 20, durationMs: 1000 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(summary.sent).toBeGreaterThanOrEqual(15);
    expect(summary.sent).toBeLessThanOrEqual(21);
  });

  it('stops when its signal fires and counts an unreachable service as errors', async () => {
    const stop = new AbortController();
    setTimeout(() => stop.abort(), 300);
    const summary = await runLoad({ target: 'http://127.0.0.1:1', ratePerSecond: 50, signal: stop.signal });
    expect(summary.sent).toBeGreaterThan(5);
    expect(summary.sent).toBeLessThan(30);
    expect(summary.outcomes).toEqual({ error: summary.sent });
  });
});
