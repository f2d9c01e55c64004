import type { FixtureApp } from '../../../test/support/fixture-store.js';
import { openFixtureApp } from '../../../test/support/fixture-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE, traceqlFixture } from '../../../test/support/traceql-fixture.js';
import { registerSearchRoute } from './search-route.js';

const baseMs = Date.now() - 10 * 60_000;
const start = Math.floor(baseMs / 1000) - 60;
const end = start + 180;
let fixture: FixtureApp;

beforeAll(async () => {
  fixture = await openFixtureApp(
    { 'single-tenant': traceqlFixture(baseMs), 'tenant-b': traceqlFixture(baseMs).slice(0, 1) },
    (app, store) => registerSearchRoute(app, store, { timeoutMs: 30_000 }),
  );
});

afterAll(async () => {
  await fixture?.close();
});

async function get(query: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fixture.app.inject({
    method: 'GET',
    url: '/api/search',
    query: { start: String(start), end: String(end), ...query },
    headers,
  });
  return {
    status: response.statusCode,
    body: response.body,
    json: () => response.json<Record<string, unknown>>(),
  };
}

interface TraceJson {
  traceID: string;
  rootServiceName: string;
  rootTraceName: string;
  startTimeUnixNano: string;
  durationMs: number;
  spanSet: unknown;
  spanSets: {
    spans: {
      spanID: string;
      name: string;
      startTimeUnixNano: string;
      durationNanos: string;
      attributes?: unknown[];
    }[];
    matched: number;
  }[];
  serviceStats: Record<string, { spanCount: number; errorCount?: number }>;
}

describe('GET /api/search (Tempo)', () => {
  it("answers in Tempo's JSON shape: nanoseconds as strings, durationMs a number, spanSet and spanSets", async () => {
    const response = await get({
      q: '{ resource.service.name = "user-service" && span.http.status_code = 404 }',
    });
    expect(response.status).toBe(200);
    const { traces, metrics } = response.json() as { traces: TraceJson[]; metrics: Record<string, number> };
    expect(traces).toHaveLength(1);
    const [trace] = traces;
    expect(trace).toEqual({
      traceID: TRACE.limitNotFound,
      rootServiceName: 'reservations-service',
      rootTraceName: 'reservations_handler',
      startTimeUnixNano: (BigInt(baseMs + 2000) * 1_000_000n).toString(),
      durationMs: 400,
      spanSet: trace.spanSets[0],
      spanSets: [
        {
          matched: 1,
          spans: [
            {
              spanID: 'a3' + '4'.padStart(14, '0'),
              name: 'reservation_limits_handler',
              startTimeUnixNano: (BigInt(baseMs + 2020) * 1_000_000n).toString(),
              durationNanos: '120000000',
              attributes: [
                { key: 'service.name', value: { stringValue: 'user-service' } },
                { key: 'http.status_code', value: { intValue: '404' } },
              ],
            },
          ],
        },
      ],
      serviceStats: {
        'reservations-service': { spanCount: 3, errorCount: 2 },
        'user-service': { spanCount: 2, errorCount: 1 },
      },
    });
    expect(metrics.inspectedTraces).toBeGreaterThanOrEqual(1);
  });

  it('defaults: limit 20, 3 spans per spanset', async () => {
    const { traces } = (await get({ q: '{ }' })).json() as { traces: TraceJson[] };
    expect(traces.length).toBe(8);
    const big = traces.find((t) => t.traceID === TRACE.big);
    expect(big?.spanSets[0].spans).toHaveLength(3);
    expect(big?.spanSets[0].matched).toBe(10_000);
    const limited = (await get({ q: '{ }', limit: '2', spss: '1' })).json() as { traces: TraceJson[] };
    expect(limited.traces.map((t) => t.traceID)).toEqual([TRACE.big, TRACE.hostile]);
    expect(limited.traces[0].spanSets[0].spans).toHaveLength(1);
  });

  it('takes the older tags= form (logfmt) and min/maxDuration on the trace duration', async () => {
    const ids = async (query: Record<string, string>) =>
      ((await get(query)).json() as { traces: TraceJson[] }).traces.map((t) => t.traceID).sort();
    // A value is matched by its text and by the int, float or bool it reads as: the 404 is an int.
    expect(await ids({ tags: 'service.name=user-service http.status_code=404' })).toEqual([
      TRACE.limitNotFound,
    ]);
    expect(await ids({ tags: 'item_id=42 price=9.5 in_stock=true' })).toEqual([TRACE.success]);
    expect(await ids({ tags: 'item_id=43' })).toEqual([]);
    expect(await ids({ tags: 'service.name="user-service" error=true' })).toEqual([TRACE.limitNotFound]);
    expect(await ids({ tags: 'username=bob' })).toEqual([TRACE.limitExceeded]);
    expect(await ids({ tags: 'name=reservations_handler', minDuration: '500ms' })).toEqual([
      TRACE.limitExceeded,
    ]);
    expect(await ids({ tags: 'name=reservations_handler', maxDuration: '150ms' })).toEqual([TRACE.clockSkew]);
  });

  it('reads only the X-Scope-OrgID tenant', async () => {
    const { traces } = (await get({ q: '{ }' }, { 'x-scope-orgid': 'tenant-b' })).json() as {
      traces: TraceJson[];
    };
    expect(traces.every((t) => Object.keys(t.serviceStats).length === 1)).toBe(true);
    expect(traces.length).toBeGreaterThan(0);
    expect(traces.length).toBeLessThan(8);
  });

  it.each([
    [{ q: '{ duration > }' }, /^invalid TraceQL query: .* at 1:\d+$/],
    [
      { q: '{ duration = "x" }' },
      /^invalid TraceQL query: cannot compare a duration with a string at 1:\d+$/,
    ],
    [{ q: '{ } | rate()' }, /^invalid TraceQL query: 'rate' is a metrics query/],
    [{ q: '{ }', limit: 'ten' }, /^invalid limit/],
    [{ q: '{ }', limit: '0' }, /^invalid limit/],
    [{ q: '{ }', spss: '-1' }, /^invalid spss/],
    [{ q: '{ }', start: 'yesterday' }, /^invalid start/],
    [{ q: '{ }', start: String(end), end: String(start) }, /^invalid start: must be before end/],
    [{ q: '{ }', minDuration: 'soon' }, /^invalid minDuration/],
    [{ q: '{ }', minDuration: '2s', maxDuration: '1s' }, /^invalid maxDuration/],
    [{ tags: 'novalue' }, /^invalid tags/],
    [{ q: '{ }', tags: 'a=b' }, /^invalid search: q and tags/],
    [{ q: '{ span.x =~ "(" }' }, /^invalid TraceQL query: .*regular expression/i],
  ])('refuses %j with a 400 and a reason', async (query, message) => {
    const response = await get(query);
    expect(response.status).toBe(400);
    expect(response.body).toMatch(message);
  });

  it('refuses a malformed tenant id with a 400', async () => {
    const response = await get({ q: '{ }' }, { 'x-scope-orgid': '../etc' });
    expect(response.status).toBe(400);
  });
});
