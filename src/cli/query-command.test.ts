import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FixtureStore } from '../../test/support/fixture-store.js';
import { openFixtureStore } from '../../test/support/fixture-store.js';
import { TRACE, traceqlFixture } from '../../test/support/traceql-fixture.js';
import { registerTraceOtlpRoute } from '../api/native/trace-otlp-route.js';
import { registerSearchRoute } from '../api/tempo/search-route.js';
import { queryCommand } from './query-command.js';
import { UsageError } from './usage-error.js';

const baseMs = Date.now() - 10 * 60_000;
let fixture: FixtureStore;
let app: FastifyInstance;
let url: string;

beforeAll(async () => {
  fixture = await openFixtureStore({
    'single-tenant': traceqlFixture(baseMs),
    acme: traceqlFixture(baseMs).slice(0, 1),
  });
  app = Fastify();
  registerTraceOtlpRoute(app, fixture.store);
  registerSearchRoute(app, fixture.store, { timeoutMs: 30_000 });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
});

afterAll(async () => {
  await app?.close();
  await fixture?.close();
});

/** Runs the command in-process and returns what it printed. */
async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await queryCommand([...args, '--url', url, '--no-color']), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('tracehouse query', () => {
  it('trace <id>: an indented tree across both services, with bars and durations', async () => {
    const { code, out } = await run(['trace', TRACE.success]);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toBe(`trace ${TRACE.success}  8 spans  2 services  400.00ms`);
    const names = lines.slice(1).map((l) => l.replace(/^.{30} +[\d.]+[a-zµ]+ {2}/u, ''));
    expect(names).toEqual([
      'reservations-service: reservations_handler',
      '  reservations-service: parse_request',
      '  reservations-service: fetch_limit',
      '    user-service: reservation_limits_handler',
      '      user-service: validate_username',
      '      user-service: fetch_record',
      '  reservations-service: fetch_reservations_count',
      '  reservations-service: make_reservation',
    ]);
    // The root's bar spans the whole trace; fetch_reservations_count's starts 170 ms in (col 12).
    expect(lines[1].slice(0, 30)).toBe('█'.repeat(30));
    expect(lines[3]).toMatch(/^█+ +150\.00ms/);
    expect(lines[7]).toMatch(/^ {12}█+ +30\.00ms/);
  });

  it('trace <id>: a missing parent is shown, not hidden; errors are marked', async () => {
    expect((await run(['trace', TRACE.missingParent])).out).toContain(
      'reservation_limits_handler (parent not received)',
    );
    expect((await run(['trace', TRACE.limitExceeded])).out).toMatch(/reservations_handler ✗/);
  });

  it('search <TraceQL>: a table, newest first', async () => {
    const { code, out } = await run([
      'search',
      '{ resource.service.name = "user-service" }',
      '--since',
      '1h',
    ]);
    expect(code).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^START \(UTC\) +DURATION +MATCHED +ROOT SERVICE +ROOT SPAN +TRACE ID$/);
    expect(lines.slice(1).map((l) => l.split(/ {2,}/).at(-1))).toEqual([
      TRACE.clockSkew,
      TRACE.missingParent,
      TRACE.limitNotFound,
      TRACE.limitExceeded,
      TRACE.success,
    ]);
    expect(lines.find((l) => l.endsWith(TRACE.missingParent))).toContain('<root span not yet received>');
  });

  it('sends the tenant', async () => {
    const all = (await run(['search', '{ }'])).out.trimEnd().split('\n');
    const acme = (await run(['search', '{ }', '--tenant', 'acme'])).out.trimEnd().split('\n');
    expect(all).toHaveLength(9);
    expect(acme.length).toBeGreaterThan(1);
    expect(acme.length).toBeLessThan(all.length);
  });

  it('reports what the server refused, and usage mistakes', async () => {
    const bad = await run(['search', '{ duration > }']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/the server answered 400: invalid TraceQL query: .* at 1:\d+/);
    const missing = await run(['trace', 'f'.repeat(32)]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('404');
    await expect(run(['trace', 'xyz'])).rejects.toThrow(UsageError);
    await expect(run(['search'])).rejects.toThrow(UsageError);
    await expect(run(['search', '{ }', '--since', 'soon'])).rejects.toThrow(UsageError);
  });
});
