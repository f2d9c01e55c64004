import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../../test/support/example-system-fixture.js';
import {
  HOSTILE_TEXTS,
  exampleTraceId,
  openExampleStore,
} from '../../../test/support/example-system-fixture.js';
import { TraceStore } from '../../store/trace-store.js';
import { registerJaegerRoutes } from './register-jaeger-routes.js';

/*
 * Golden tests of the v1 trace search over the example system (test/support/example-system-fixture.ts),
 * with the requests Jaeger UI (packages/jaeger-ui/src/api/jaeger.ts) and Grafana's Jaeger data
 * source (pkg/tsdb/jaeger/client.go) send. Trace i starts at base + 10 s × i; its root lasts
 * 10 ms × (i + 1) and the other spans' times are per-mille of that.
 */

let example: ExampleStore;
let app: FastifyInstance;

beforeAll(async () => {
  example = await openExampleStore('single-tenant', 'hostile');
  app = Fastify();
  registerJaegerRoutes(app, example.store, { timeoutMs: 30_000 });
});

afterAll(async () => {
  await app?.close();
  await example?.close();
});

async function get(url: string, query: Record<string, string | string[]> = {}, tenant?: string) {
  const response = await app.inject({
    method: 'GET',
    url,
    query,
    headers: tenant === undefined ? {} : { 'x-scope-orgid': tenant },
  });
  return {
    status: response.statusCode,
    type: response.headers['content-type'],
    body: response.json<Envelope>(),
  };
}

/** `expect.stringMatching`, typed as the string it stands for (Vitest types its matchers `any`). */
const textMatching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

interface Envelope {
  data: unknown;
  total: number;
  limit: number;
  offset: number;
  errors: { code?: number; msg: string; traceID?: string }[] | null;
}

interface TraceJson {
  traceID: string;
  spans: { spanID: string; operationName: string; processID: string; [key: string]: unknown }[];
  processes: Record<string, { serviceName: string; tags: unknown[] }>;
  warnings: null;
}

const badRequest = (msg: string | RegExp) => ({
  data: null,
  total: 0,
  limit: 0,
  offset: 0,
  errors: [{ code: 400, msg: typeof msg === 'string' ? msg : textMatching(msg) }],
});
/** Jaeger UI's search window: the last hour, in microseconds. */
const lastHour = () => ({ start: String((Date.now() - 3_600_000) * 1000), end: String(Date.now() * 1000) });

async function searchIds(query: Record<string, string | string[]>, tenant?: string): Promise<string[]> {
  const { status, body } = await get('/jaeger/api/traces', { ...lastHour(), ...query }, tenant);
  expect(status).toBe(200);
  return (body.data as TraceJson[]).map((t) => t.traceID);
}
const ids = (...traces: number[]) => traces.map(exampleTraceId);

describe('GET /jaeger/api/traces (search)', () => {
  it("answers Jaeger UI's search with whole traces in the envelope (total 0, as Jaeger)", async () => {
    const response = await get('/jaeger/api/traces', {
      service: 'reservations-service',
      operation: 'reservations_handler',
      limit: '20',
      lookback: '1h',
      ...lastHour(),
      tags: '{"http.response.status_code":"500"}',
    });
    expect(response.status).toBe(200);
    const { data, ...envelope } = response.body;
    expect(envelope).toEqual({ total: 0, limit: 0, offset: 0, errors: null });
    const traces = data as TraceJson[];
    expect(traces.map((t) => t.traceID)).toEqual(ids(7, 2));
    // Whole traces: every span, of every service, not only the one that matched.
    expect(traces[1].spans).toHaveLength(10);
    expect(Object.values(traces[1].processes).map((p) => p.serviceName)).toEqual([
      'reservations-service',
      'user-service',
      'notification-service',
    ]);
  });

  it('matches everything on one span; min/maxDuration are the span’s (reservation_limits_handler lasts 4 ms × (i + 1))', async () => {
    const handler = { service: 'user-service', operation: 'reservation_limits_handler' };
    expect(await searchIds({ ...handler, minDuration: '10ms', maxDuration: '12ms' })).toEqual(ids(2));
    expect(await searchIds({ ...handler, minDuration: '0.036s' })).toEqual(ids(9, 8));
    // Trace 0 lasts 14 ms, its root 10 ms: the span's duration is what counts, not the trace's.
    const root = { service: 'reservations-service', operation: 'reservations_handler' };
    expect(await searchIds({ ...root, maxDuration: '10ms' })).toEqual(ids(0));
  });

  it('matches a tag by its text, whatever its type, on the span or its process (resource)', async () => {
    const search = (service: string, tags: Record<string, string>) =>
      searchIds({ service, tags: JSON.stringify(tags) });
    expect(await search('user-service', { 'http.response.status_code': '404' })).toEqual(ids(2));
    expect(await search('reservations-service', { 'reservation.price': '7.5' })).toEqual(ids(2));
    expect(await search('reservations-service', { 'reservation.price': '5' })).toEqual(ids(1));
    expect(await search('user-service', { 'user.valid': 'false' })).toEqual(ids(2));
    expect(await search('user-service', { 'host.name': 'host-2', 'user.name': 'alice' })).toEqual(
      ids(8, 4, 0),
    );
    // `tag=key:value`, Jaeger's other form, splits at the first colon.
    expect(
      await searchIds({
        service: 'reservations-service',
        tag: 'url.full:http://user-service:8080/users/bob/limits',
      }),
    ).toEqual(ids(9, 5, 1));
  });

  it('matches the tags Jaeger derives from OTLP fields: error, span.kind, otel.status_code, otel.scope.name', async () => {
    const search = (service: string, tags: Record<string, string>) =>
      searchIds({ service, tags: JSON.stringify(tags) });
    expect(await search('user-service', { error: 'true' })).toEqual(ids(2));
    expect(await search('notification-service', { 'otel.status_code': 'ERROR' })).toEqual(ids(4));
    expect(await search('reservations-service', { 'span.kind': 'producer' })).toEqual(ids(8, 6, 4, 2, 0));
    expect(
      await search('reservations-service', {
        'otel.scope.name': '@opentelemetry/instrumentation-http',
        'otel.status_description': 'make_reservation failed',
      }),
    ).toEqual(ids(5));
  });

  it('keeps the newest `limit` traces; limit defaults to 100', async () => {
    expect(await searchIds({ service: 'reservations-service', limit: '3' })).toEqual(ids(9, 8, 7));
    expect(await searchIds({ service: 'reservations-service' })).toHaveLength(10);
    // Without start/end: two days back from now, as Jaeger (the legacy trace is an hour old).
    const { body } = await get('/jaeger/api/traces', { service: 'legacy-service' });
    expect((body.data as TraceJson[]).map((t) => t.traceID)).toEqual([exampleTraceId(0xff)]);
  });

  it('fetches traces by id with traceID=…, listing the missing ones in errors', async () => {
    const missing = 'abcdef0123456789';
    const { status, body } = await get('/jaeger/api/traces', { traceID: [exampleTraceId(3), missing] });
    expect(status).toBe(200);
    expect((body.data as TraceJson[]).map((t) => t.traceID)).toEqual(ids(3));
    expect(body.errors).toEqual([{ msg: 'trace not found', traceID: missing }]);
  });

  it('leaves out traces past --max-trace-spans and says so in errors (422), as trace by id answers', async () => {
    // Traces with the messaging pair have 10 or 11 spans; 7 has 8, 9 has 9.
    const limited = Fastify();
    const store = new TraceStore(example.store.driver, { retentionSeconds: 0, maxTraceSpans: 9 });
    registerJaegerRoutes(limited, store, { timeoutMs: 30_000 });
    try {
      const search = await limited.inject({
        method: 'GET',
        url: '/jaeger/api/traces',
        query: { service: 'reservations-service', limit: '3', ...lastHour() },
      });
      expect(search.statusCode).toBe(200);
      const body = search.json<Envelope>();
      expect((body.data as TraceJson[]).map((t) => t.traceID)).toEqual(ids(9, 7));
      expect(body.errors).toEqual([
        { code: 422, msg: textMatching(/has more than 9 spans/), traceID: exampleTraceId(8) },
      ]);
      const byId = await limited.inject({ method: 'GET', url: `/jaeger/api/traces/${exampleTraceId(8)}` });
      expect(byId.statusCode).toBe(422);
      const v3 = await limited.inject({
        method: 'GET',
        url: `/jaeger/api/v3/traces?query.service_name=reservations-service&query.num_traces=3&query.start_time_min=${new Date(Date.now() - 3_600_000).toISOString()}&query.start_time_max=${new Date().toISOString()}`,
      });
      const spans = v3.json<{
        result: { resourceSpans: { scopeSpans: { spans: { traceId: string }[] }[] }[] };
      }>();
      const traceIds = new Set(
        spans.result.resourceSpans.flatMap((rs) =>
          rs.scopeSpans.flatMap((ss) => ss.spans.map((sp) => sp.traceId)),
        ),
      );
      expect([...traceIds]).toEqual(ids(9, 7));
    } finally {
      await limited.close();
    }
  });

  it('finds hostile texts as values, never as SQL, and reads only the X-Scope-OrgID tenant', async () => {
    const text = HOSTILE_TEXTS[0];
    const tags = JSON.stringify({ [text]: text });
    expect(await searchIds({ service: text, operation: text, tags }, 'hostile')).toEqual([
      exampleTraceId(0xee),
    ]);
    expect(await searchIds({ service: text }, 'single-tenant')).toEqual([]);
    expect(await searchIds({ service: 'user-service' }, 'hostile')).toEqual([]);
  });

  it.each<[Record<string, string>, string | RegExp]>([
    [{}, "parameter 'service' is required"],
    [{ service: 's', start: 'yesterday' }, /^unable to parse param 'start': "yesterday" is not an integer/],
    [{ service: 's', end: '1.5' }, /^unable to parse param 'end'/],
    [{ service: 's', limit: 'ten' }, /^unable to parse param 'limit'/],
    [{ service: 's', limit: '-1' }, /^unable to parse param 'limit'/],
    [{ service: 's', minDuration: 'fast' }, /^unable to parse param 'minDuration': "fast" is not a duration/],
    [
      { service: 's', minDuration: '2s', maxDuration: '1s' },
      "'maxDuration' should be greater than 'minDuration'",
    ],
    [{ service: 's', tags: '{"a":' }, /^unable to parse param 'tags': cannot unmarshal JSON/],
    [
      { service: 's', tags: '{"a":1}' },
      /^unable to parse param 'tags': the value of "a" must be a JSON string/,
    ],
    [{ service: 's', tags: '["a"]' }, /^unable to parse param 'tags'/],
    [{ service: 's', tag: 'no-colon' }, /^unable to parse param 'tag': expecting key:value/],
    [{ service: 's', lookback: 'a while' }, /^unable to parse param 'lookback'/],
    [{ service: 's', start: '20', end: '10' }, "'start' must not be after 'end'"],
    [{ traceID: 'not-hex!' }, /^unable to parse param 'traceID'/],
  ])('answers %j with 400 in the envelope', async (query, msg) => {
    const response = await get('/jaeger/api/traces', query);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(badRequest(msg));
  });
});
