import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../../test/support/example-system-fixture.js';
import { openExampleStore } from '../../../test/support/example-system-fixture.js';
import { quoteIdentifier } from '../../store/schema/sql-quote.js';
import {
  TRACE_SPANS_TABLE,
  TRACE_SPANS_VIEW_SELECT,
  TRACE_SPANS_VIEW_SELECT_1,
} from '../../store/schema/trace-spans-schema.js';
import type { CompactTrace } from './compact-trace/compact-trace-format.js';
import { registerTraceCompactRoute } from './trace-compact-route.js';
import { outlinePrefetcher } from './trace-outline-read.js';

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

/** What the first frame draws of each span, with indices resolved to the strings they name. */
function firstFrame(trace: CompactTrace): unknown[] {
  const { spans, strings, values, scopes, resources } = trace;
  return spans.spanId.map((spanId, i) => {
    const attributes = resources[scopes[spans.scope[i]].resource].attributes;
    const at = attributes.findIndex((key, k) => k % 2 === 0 && strings[key] === 'service.name');
    return [
      spanId,
      spans.parent[i],
      strings[spans.name[i]],
      spans.kind[i],
      spans.start[i],
      spans.duration[i],
      spans.statusCode[i],
      at === -1 ? '' : values[attributes[at + 1]],
    ];
  });
}

describe('GET /api/tracehouse/traces/<id>/outline', () => {
  it("answers what the whole trace's first frame draws, marked partial", async () => {
    // The last trace is left unread, for the prefetch below (a cached read would answer it).
    for (const traceId of example.system.traceIds.slice(0, -1)) {
      const outline = await get(`${traceId}/outline`);
      expect(outline.statusCode).toBe(200);
      expect(outline.headers['server-timing']).toMatch(
        /^query;dur=[\d.]+, read;dur=[\d.]+, encode;dur=[\d.]+, outline$/,
      );
      const partial = outline.json<CompactTrace>();
      const whole = (await get(`${traceId}/compact`)).json<CompactTrace>();
      expect(partial.partial).toBe(true);
      expect(whole.partial).toBeUndefined();
      expect([partial.traceId, partial.startUnixNano]).toEqual([whole.traceId, whole.startUnixNano]);
      expect(firstFrame(partial)).toEqual(firstFrame(whole));
      // The rest is left for the whole trace: empty, or zeros (the empty string) a span.
      expect(partial.spans.attributes).toEqual([]);
      expect(partial.spans.attributeCount.every((n) => n === 0)).toBe(true);
      expect([partial.events.span, partial.links.span]).toEqual([[], []]);
    }
  });

  it("answers from the read a trace page's prefetch started, timed by that read", async () => {
    const traceId = example.system.traceIds[example.system.traceIds.length - 1];
    outlinePrefetcher(example.store)('tenant-a', traceId.toUpperCase());
    const response = await get(`${traceId}/outline`);
    expect(response.headers['server-timing']).toMatch(
      /^query;dur=[\d.]+, read;dur=[\d.]+, encode;dur=[\d.]+, outline, prefetch;desc="page"$/,
    );
    expect(response.json<CompactTrace>().partial).toBe(true);
    // A prefetch of a bad id or tenant reads nothing and throws nothing.
    outlinePrefetcher(example.store)('tenant-a', 'not-hex');
    outlinePrefetcher(example.store)('bad tenant!', traceId);
  });

  it('answers the outline of a trace stored in layouts 2 and 3 (spans from before and after an upgrade)', async () => {
    const from = example.system.traceIds[3];
    const mixed = 'c1'.repeat(16);
    const database = quoteIdentifier(await example.store.database('tenant-a'));
    const median = `(SELECT quantileExact(0.5)(Timestamp) FROM ${database}.otel_traces WHERE TraceId = {from:String})`;
    // The earlier half as layout 2's view wrote it, the later half as the store writes it now.
    await example.store.driver.exec(
      `INSERT INTO ${database}.${TRACE_SPANS_TABLE} (TraceId, Timestamp, Span)
       SELECT {mixed:String} AS TraceId, Timestamp, Span
       FROM (SELECT ${TRACE_SPANS_VIEW_SELECT} FROM ${database}.otel_traces
             WHERE TraceId = {from:String} AND Timestamp <= ${median})`,
      { mixed, from },
    );
    await example.store.driver.exec(
      `INSERT INTO ${database}.${TRACE_SPANS_TABLE} (TraceId, Timestamp, Span)
       SELECT {mixed:String}, Timestamp, Span FROM ${database}.${TRACE_SPANS_TABLE}
       WHERE TraceId = {from:String} AND Timestamp > ${median}`,
      { mixed, from },
    );
    const layouts = await example.store.driver.text(
      `SELECT groupUniqArray(startsWith(Span, '[')) FROM ${database}.${TRACE_SPANS_TABLE} WHERE TraceId = {mixed:String}`,
      { mixed },
    );
    expect(JSON.parse(layouts.trim())).toHaveLength(2);
    const partial = (await get(`${mixed}/outline`)).json<CompactTrace>();
    expect(partial.partial).toBe(true);
    const original = (await get(`${from}/compact`)).json<CompactTrace>();
    expect(firstFrame(partial)).toEqual(firstFrame(original));
    const whole = (await get(`${mixed}/compact`)).json<CompactTrace>();
    expect(firstFrame(whole)).toEqual(firstFrame(original));
    // (String positions differ between the two answers: compare counts, not indices.)
    expect(whole.spans.attributeCount).toEqual(original.spans.attributeCount);
  });

  it('answers the whole trace where the spans table holds it in layout 1', async () => {
    const from = example.system.traceIds[4];
    const copy = 'c0'.repeat(16);
    const database = quoteIdentifier(await example.store.database('tenant-a'));
    // Layout 1 rows, as migration 4's view wrote them, under another trace id.
    await example.store.driver.exec(
      `INSERT INTO ${database}.${TRACE_SPANS_TABLE} (TraceId, Timestamp, Span)
       SELECT {copy:String} AS TraceId, Timestamp, Span
       FROM (SELECT ${TRACE_SPANS_VIEW_SELECT_1} FROM ${database}.otel_traces WHERE TraceId = {from:String})`,
      { copy, from },
    );
    const response = await get(`${copy}/outline`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['server-timing']).not.toMatch(/outline/);
    const trace = response.json<CompactTrace>();
    expect(trace.partial).toBeUndefined();
    const original = (await get(`${from}/compact`)).json<CompactTrace>();
    expect(firstFrame(trace)).toEqual(firstFrame(original));
    expect(trace.spans.attributes).toEqual(original.spans.attributes);
  });

  it('takes an optional range; 404 for an unknown trace or another tenant, 400 for a bad id', async () => {
    const traceId = example.system.traceIds[1];
    const { start, end } = example.system.range;
    const ranged = await get(`${traceId.toUpperCase()}/outline?start=${start}&end=${end}`);
    expect([ranged.statusCode, ranged.json<CompactTrace>().partial]).toEqual([200, true]);
    expect((await get(`${'0'.repeat(31)}1/outline`)).statusCode).toBe(404);
    expect((await get(`${traceId}/outline`, { 'x-scope-orgid': 'tenant-b' })).statusCode).toBe(404);
    expect((await get('not-hex/outline')).statusCode).toBe(400);
  });
});
