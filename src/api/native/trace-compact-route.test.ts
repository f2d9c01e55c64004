import { gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticTrace } from '../../../bench/ui-bench-trace.js';
import { encodeSpanBlocks } from '../../store/rows/span-blocks.js';
import type { ExampleStore } from '../../../test/support/example-system-fixture.js';
import { openExampleStore } from '../../../test/support/example-system-fixture.js';
import type { CompactTrace } from './compact-trace/compact-trace-format.js';
import { registerTraceCompactRoute } from './trace-compact-route.js';

let example: ExampleStore;
let app: FastifyInstance;

beforeAll(async () => {
  example = await openExampleStore('tenant-a');
  app = Fastify();
  registerTraceCompactRoute(app, example.store);
});

afterAll(async () => {
  await app?.close();
  await example?.close();
});

const get = (path: string, headers: Record<string, string> = { 'x-scope-orgid': 'tenant-a' }) =>
  app.inject({ method: 'GET', url: `/api/tracehouse/traces/${path}`, headers });

describe('GET /api/tracehouse/traces/<id>/compact', () => {
  it('answers the stored trace in the compact form, with Server-Timing', async () => {
    const traceId = example.system.traceIds[0];
    const response = await get(`${traceId}/compact`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.headers['server-timing']).toMatch(
      /^query;dur=[\d.]+, read;dur=[\d.]+, encode;dur=[\d.]+$/,
    );
    // Read again within the cache's age: the same bytes, without reading the store.
    const again = await get(`${traceId}/compact`);
    expect(again.headers['server-timing']).toMatch(/^read;dur=[\d.]+;desc="cached"$/);
    expect(again.body).toBe(response.body);
    const trace = response.json<CompactTrace>();
    expect([trace.version, trace.traceId]).toEqual([1, traceId]);
    const services = new Set(
      trace.scopes.map((s) => trace.values[trace.resources[s.resource].attributes[1]]),
    );
    expect(services.has('reservations-service')).toBe(true);
    const roots = trace.spans.parent.filter((p) => p === -1);
    expect(roots).toHaveLength(1);
    expect(trace.spans.spanId.length).toBeGreaterThan(5);
    // In start order.
    const starts = trace.spans.start.map(Number);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
  });

  it('takes the id in any case and without leading zeros, and an optional range', async () => {
    const traceId = example.system.traceIds[1];
    const { start, end } = example.system.range;
    const short = traceId.replace(/^0+/, '').toUpperCase();
    const response = await get(`${short}/compact?start=${start}&end=${end}`);
    expect(response.statusCode).toBe(200);
    expect(response.json<CompactTrace>().traceId).toBe(traceId);
  });

  it('is 404 for an unknown trace or another tenant, 400 for a bad id or range', async () => {
    const traceId = example.system.traceIds[0];
    expect((await get(`${'0'.repeat(31)}1/compact`)).statusCode).toBe(404);
    expect((await get(`${traceId}/compact`, { 'x-scope-orgid': 'tenant-b' })).statusCode).toBe(404);
    const bad = await get('not-hex/compact');
    expect([bad.statusCode, bad.body]).toEqual([
      400,
      'invalid trace id "not-hex": expected up to 32 hex digits',
    ]);
    const range = await get(`${traceId}/compact?start=tomorrow`);
    expect([range.statusCode, range.body]).toEqual([400, 'invalid start: "tomorrow" is not Unix seconds']);
    expect((await get(`${traceId}/compact`, { 'x-scope-orgid': 'bad tenant!' })).statusCode).toBe(400);
  });

  it('compresses a large answer when the client accepts it, and only then', async () => {
    const traceId = 'fe'.repeat(16);
    const data = syntheticTrace(traceId, 2000, Date.now() - 60_000);
    await example.store.insertSpans('tenant-a', encodeSpanBlocks(data));
    const plain = await get(`${traceId}/compact`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const gzipped = await get(`${traceId}/compact`, {
      'x-scope-orgid': 'tenant-a',
      'accept-encoding': 'gzip',
    });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.headers.vary).toBe('accept-encoding');
    expect(gunzipSync(gzipped.rawPayload).toString()).toBe(plain.body);
  });
});
