import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../../test/support/example-system-fixture.js';
import {
  HOSTILE_TEXTS,
  exampleSpanId,
  exampleTraceId,
  openExampleStore,
} from '../../../test/support/example-system-fixture.js';
import type { ResourceSpansJson, SpanJson } from '../../otlp/json/otlp-json-types.js';
import { registerJaegerRoutes } from './register-jaeger-routes.js';

/*
 * Golden tests of the v3 API (jaeger-idl api_v3 through Jaeger's HTTP gateway) over the example
 * system, with the requests Jaeger UI 2.x (packages/jaeger-ui/src/api/v3/client.ts) and Grafana's
 * Jaeger data source (pkg/tsdb/jaeger/grpc_client.go) send.
 */

let example: ExampleStore;
let app: FastifyInstance;
let baseSeconds: number;

beforeAll(async () => {
  example = await openExampleStore('single-tenant', 'hostile');
  baseSeconds = example.system.range.start;
  app = Fastify();
  registerJaegerRoutes(app, example.store, { timeoutMs: 30_000 });
});

afterAll(async () => {
  await app?.close();
  await example?.close();
});

async function get(url: string, tenant?: string) {
  const response = await app.inject({
    method: 'GET',
    url,
    headers: tenant === undefined ? {} : { 'x-scope-orgid': tenant },
  });
  return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
}

/** `expect.stringMatching`, typed as the string it stands for (Vitest types its matchers `any`). */
const textMatching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

const iso = (ms: number) => new Date(ms).toISOString();
/** Grafana's form: snake_case names, times in RFC 3339 appended unencoded. */
function grafanaSearch(params: Record<string, string>, fromMs = Date.now() - 3_600_000, toMs = Date.now()) {
  const query = new URLSearchParams(params).toString();
  return `/jaeger/api/v3/traces?${query}&query.start_time_min=${iso(fromMs)}&query.start_time_max=${iso(toMs)}`;
}
/** Jaeger UI 2.x's form: camelCase names, URL-encoded. */
function uiSearch(path: string, params: Record<string, string>) {
  const query = new URLSearchParams({
    'query.startTimeMin': iso(Date.now() - 3_600_000),
    'query.startTimeMax': iso(Date.now()),
    ...params,
  });
  return `/jaeger/api/v3/${path}?${query.toString()}`;
}

const spansOf = (body: Record<string, unknown>): SpanJson[] =>
  ((body.result as { resourceSpans: ResourceSpansJson[] }).resourceSpans ?? []).flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) => ss.spans ?? []),
  );
const traceIdsOf = (body: Record<string, unknown>) => [...new Set(spansOf(body).map((s) => s.traceId))];
const v3Error = (httpCode: number, message: string | RegExp) => ({
  error: { httpCode, message: typeof message === 'string' ? message : textMatching(message) },
});

describe('GET /jaeger/api/v3/services and /jaeger/api/v3/operations', () => {
  it('answers {"services": […]} and {"operations": [{name, spanKind}]}', async () => {
    expect((await get('/jaeger/api/v3/services')).body).toEqual({
      services: [
        'audit-service',
        'legacy-service',
        'notification-service',
        'reservations-service',
        'user-service',
      ],
    });
    expect((await get('/jaeger/api/v3/operations?service=notification-service')).body).toEqual({
      operations: [
        { name: 'process_reservation', spanKind: 'consumer' },
        { name: 'send_email', spanKind: 'internal' },
      ],
    });
    for (const param of ['spanKind', 'span_kind']) {
      expect(
        (await get(`/jaeger/api/v3/operations?service=notification-service&${param}=consumer`)).body,
      ).toEqual({
        operations: [{ name: 'process_reservation', spanKind: 'consumer' }],
      });
    }
  });

  it('reads only the X-Scope-OrgID tenant', async () => {
    expect((await get('/jaeger/api/v3/services', 'nobody')).body).toEqual({ services: [] });
    expect(((await get('/jaeger/api/v3/services', 'hostile')).body.services as string[]).length).toBe(
      HOSTILE_TEXTS.length,
    );
    expect((await get('/jaeger/api/v3/operations?service=user-service', 'hostile')).body).toEqual({
      operations: [],
    });
  });

  it.each([
    ['/jaeger/api/v3/operations', 'service is required'],
    [
      '/jaeger/api/v3/operations?service=a&span_kind=odd',
      /^malformed parameter span_kind: unsupported span kind 'odd'/,
    ],
  ])('answers %s with 400 in the gateway error shape', async (url, message) => {
    const response = await get(url);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(v3Error(400, message));
  });
});

describe('GET /jaeger/api/v3/traces (search)', () => {
  it("answers Grafana's search with whole traces as OTLP/JSON under result", async () => {
    const { status, body } = await get(
      grafanaSearch({
        'query.service_name': 'user-service',
        'query.operation_name': 'reservation_limits_handler',
        'query.attributes': '{"http.response.status_code":"404"}',
      }),
    );
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['result']);
    const spans = spansOf(body);
    expect(traceIdsOf(body)).toEqual([exampleTraceId(2)]);
    expect(spans).toHaveLength(10);
    const t0 = BigInt(baseSeconds + 20) * 1_000_000_000n;
    // OTLP/JSON: hex ids, enums as numbers, nanoseconds and int64 as decimal strings.
    expect(spans.find((s) => s.name === 'fetch_limit')).toEqual({
      traceId: exampleTraceId(2),
      spanId: exampleSpanId(2, 2),
      parentSpanId: exampleSpanId(2, 0),
      flags: 0x301,
      name: 'fetch_limit',
      kind: 3,
      startTimeUnixNano: (t0 + 3_000_000n).toString(),
      endTimeUnixNano: (t0 + 16_500_000n).toString(),
      attributes: [
        { key: 'http.request.method', value: { stringValue: 'GET' } },
        { key: 'url.full', value: { stringValue: 'http://user-service:8080/users/carol/limits' } },
        { key: 'http.response.status_code', value: { intValue: '404' } },
      ],
      events: [
        {
          timeUnixNano: (t0 + 4_000_000n).toString(),
          name: 'exception',
          attributes: [
            { key: 'exception.type', value: { stringValue: 'HttpError' } },
            { key: 'exception.escaped', value: { boolValue: true } },
          ],
        },
      ],
      status: { message: 'fetch_limit failed', code: 2 },
    });
  });

  it("takes Jaeger UI 2.x's camelCase names; searchDepth limits, newest first; durations are the span's", async () => {
    const { body } = await get(
      uiSearch('traces', { 'query.serviceName': 'reservations-service', 'query.searchDepth': '2' }),
    );
    expect(traceIdsOf(body)).toEqual([exampleTraceId(9), exampleTraceId(8)]);
    const durations = await get(
      uiSearch('traces', {
        'query.serviceName': 'user-service',
        'query.operationName': 'reservation_limits_handler',
        'query.durationMin': '10ms',
        'query.durationMax': '12ms',
      }),
    );
    expect(traceIdsOf(durations.body)).toEqual([exampleTraceId(2)]);
    // No service: any service (what Jaeger UI sends for "all services").
    const any = await get(uiSearch('traces', { 'query.attributes': '{"audit.action":"create"}' }));
    expect(traceIdsOf(any.body)).toEqual([exampleTraceId(9)]);
  });

  it('answers an empty search with 404 "No traces found", as the gateway does', async () => {
    const response = await get(grafanaSearch({ 'query.service_name': 'no-such-service' }));
    expect(response.status).toBe(404);
    expect(response.body).toEqual(v3Error(404, 'No traces found'));
  });

  it('reads only the X-Scope-OrgID tenant; hostile texts are values', async () => {
    const text = HOSTILE_TEXTS[6];
    const params = { 'query.service_name': text, 'query.attributes': JSON.stringify({ [text]: text }) };
    expect(traceIdsOf((await get(grafanaSearch(params), 'hostile')).body)).toEqual([exampleTraceId(0xee)]);
    expect((await get(grafanaSearch(params))).status).toBe(404);
    expect((await get(grafanaSearch({ 'query.service_name': 'user-service' }), 'hostile')).status).toBe(404);
  });

  it('reads a far-future maximum as "everything"', async () => {
    const url = `/jaeger/api/v3/traces?query.service_name=legacy-service&query.start_time_min=1970-01-01T00:00:00Z&query.start_time_max=9999-12-31T23:59:59Z`;
    const { status, body } = await get(url);
    expect(status).toBe(200);
    expect(traceIdsOf(body)).toEqual([exampleTraceId(0xff)]);
  });

  const from = 'query.start_time_min=2024-05-01T11:00:00Z';
  const to = 'query.start_time_max=2024-05-01T12:00:00Z';
  it.each([
    ['', 'query.start_time_min and query.start_time_max are required'],
    [from, 'query.start_time_min and query.start_time_max are required'],
    [
      `query.start_time_min=yesterday&${to}`,
      /^malformed parameter query.start_time_min: "yesterday" is not an RFC 3339 time/,
    ],
    [`${from}&query.startTimeMax=2024-05-01`, /^malformed parameter query.startTimeMax: /],
    [
      `${from}&query.start_time_max=2024-05-01T12:00:00%2B99:99`,
      /^malformed parameter query.start_time_max: "2024-05-01T12:00:00\+99:99" has an out-of-range offset/,
    ],
    [
      `query.start_time_min=2024-05-01T12:00:00Z&${to}`,
      'query.start_time_min must be before query.start_time_max',
    ],
    [
      `${from}&${to}&query.num_traces=many`,
      /^malformed parameter query.num_traces: "many" is not an integer/,
    ],
    [`${from}&${to}&query.search_depth=-2`, /^malformed parameter query.search_depth: -2 is not between/],
    [
      `${from}&${to}&query.duration_min=soon`,
      /^malformed parameter query.duration_min: "soon" is not a duration/,
    ],
    [
      `${from}&${to}&query.durationMin=2s&query.durationMax=1s`,
      'query.durationMax must not be less than query.durationMin',
    ],
    [`${from}&${to}&query.attributes={bad`, /^malformed parameter query.attributes: cannot unmarshal JSON/],
    [
      `${from}&${to}&query.attributes={"a":true}`,
      /^malformed parameter query.attributes: the value of "a" must be a JSON string/,
    ],
    [
      `${from}&${to}&query.filter={"op":"eq"}`,
      /^malformed parameter query.filter: structured filters are not supported/,
    ],
    [`${from}&${to}&query.raw_traces=perhaps`, /^malformed parameter query.raw_traces: /],
  ])('answers ?%s with 400 in the gateway error shape', async (query, message) => {
    for (const path of ['traces', 'trace-summaries']) {
      const response = await get(`/jaeger/api/v3/${path}?${query}`);
      expect(response.status, path).toBe(400);
      expect(response.body, path).toEqual(v3Error(400, message));
    }
  });
});

describe('GET /jaeger/api/v3/traces/{trace_id}', () => {
  it('answers {"result": {"resourceSpans": […]}}; takes the start_time/end_time Grafana adds and base64 ids', async () => {
    const id = exampleTraceId(9);
    const url = `/jaeger/api/v3/traces/${id}?start_time=${iso(Date.now() - 86_400_000)}&end_time=${iso(Date.now())}`;
    const { status, body } = await get(url);
    expect(status).toBe(200);
    expect(traceIdsOf(body)).toEqual([id]);
    expect(spansOf(body)).toHaveLength(9);
    const resources = (body.result as { resourceSpans: ResourceSpansJson[] }).resourceSpans;
    expect(resources.map((rs) => rs.resource?.attributes?.[0])).toContainEqual({
      key: 'service.name',
      value: { stringValue: 'audit-service' },
    });
    const base64 = Buffer.from(id, 'hex').toString('base64url');
    expect(traceIdsOf((await get(`/jaeger/api/v3/traces/${base64}`)).body)).toEqual([id]);
  });

  it('answers 404 and 400 in the gateway error shape; reads only the X-Scope-OrgID tenant', async () => {
    expect(await get('/jaeger/api/v3/traces/abc')).toEqual({
      status: 404,
      body: v3Error(404, 'trace not found'),
    });
    expect((await get(`/jaeger/api/v3/traces/${exampleTraceId(9)}`, 'hostile')).status).toBe(404);
    expect(await get('/jaeger/api/v3/traces/not-an-id')).toEqual({
      status: 400,
      body: v3Error(400, /^malformed parameter trace_id: "not-an-id" is not a trace id/),
    });
    expect(await get(`/jaeger/api/v3/traces/${exampleTraceId(9)}?start_time=noon`)).toEqual({
      status: 400,
      body: v3Error(400, /^malformed parameter start_time: /),
    });
    expect((await get('/jaeger/api/v3/services', 'bad tenant/')).body).toEqual(v3Error(400, /tenant/i));
  });
});

describe('GET /jaeger/api/v3/trace-summaries', () => {
  it("answers Jaeger UI 2.x's search page with one TraceSummary per trace", async () => {
    const { status, body } = await get(
      uiSearch('trace-summaries', {
        'query.serviceName': 'reservations-service',
        'query.operationName': 'reservations_handler',
        'query.searchDepth': '20',
        'query.attributes': '{"http.response.status_code":"500"}',
      }),
    );
    expect(status).toBe(200);
    const summaries = body.summaries as Record<string, unknown>[];
    expect(summaries.map((s) => s.traceId)).toEqual([exampleTraceId(7), exampleTraceId(2)]);
    const start = BigInt(baseSeconds + 20) * 1_000_000_000n;
    expect(summaries[1]).toEqual({
      traceId: exampleTraceId(2),
      rootServiceName: 'reservations-service',
      rootOperationName: 'reservations_handler',
      minStartTimeUnixNano: start.toString(),
      maxEndTimeUnixNano: (start + 37_500_000n).toString(),
      spanCount: 10,
      errorSpanCount: 3,
      services: [
        { name: 'notification-service', spanCount: 1 },
        { name: 'reservations-service', spanCount: 6, errorSpanCount: 2 },
        { name: 'user-service', spanCount: 3, errorSpanCount: 1 },
      ],
    });
    const none = await get(uiSearch('trace-summaries', { 'query.serviceName': 'no-such-service' }));
    expect(none).toEqual({ status: 200, body: { summaries: [] } });
  });
});
