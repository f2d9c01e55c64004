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
import { registerJaegerRoutes } from './register-jaeger-routes.js';

/*
 * Golden tests of the v1 API over the example system (test/support/example-system-fixture.ts),
 * with the requests Jaeger UI (packages/jaeger-ui/src/api/jaeger.ts) and Grafana's Jaeger data
 * source (pkg/tsdb/jaeger/client.go) send. Trace i starts at base + 10 s × i; its root lasts
 * 10 ms × (i + 1) and the other spans' times are per-mille of that.
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

const ok = (data: unknown, total = 0) => ({ data, total, limit: 0, offset: 0, errors: null });
const badRequest = (msg: string | RegExp) => ({
  data: null,
  total: 0,
  limit: 0,
  offset: 0,
  errors: [{ code: 400, msg: typeof msg === 'string' ? msg : textMatching(msg) }],
});
const micros = (seconds: number) => seconds * 1_000_000;

describe('GET /jaeger/api/services, /jaeger/api/services/{service}/operations, /jaeger/api/operations', () => {
  it('lists every stored service, sorted, with total (the hour-old legacy one too: no time range)', async () => {
    const response = await get('/jaeger/api/services');
    expect(response.status).toBe(200);
    expect(response.type).toMatch(/^application\/json/);
    const services = [
      'audit-service',
      'legacy-service',
      'notification-service',
      'reservations-service',
      'user-service',
    ];
    expect(response.body).toEqual(ok(services, 5));
  });

  it("lists a service's operation names, as Grafana and Jaeger UI 1.x ask (any URL-escaped name)", async () => {
    expect((await get('/jaeger/api/services/user-service/operations')).body).toEqual(
      ok(['fetch_record', 'reservation_limits_handler', 'validate_username'], 3),
    );
    const hostile = HOSTILE_TEXTS[5]; // '{service:String}'
    const url = `/jaeger/api/services/${encodeURIComponent(hostile)}/operations`;
    expect((await get(url, {}, 'hostile')).body).toEqual(ok([hostile], 1));
    expect((await get('/jaeger/api/services/no-such-service/operations')).body).toEqual(ok([], 0));
  });

  it('lists operations with their span kind; spanKind=server is what the Monitor tab asks', async () => {
    const all = await get('/jaeger/api/operations', { service: 'notification-service' });
    expect(all.body).toEqual(
      ok(
        [
          { name: 'process_reservation', spanKind: 'consumer' },
          { name: 'send_email', spanKind: 'internal' },
        ],
        2,
      ),
    );
    const server = await get('/jaeger/api/operations', {
      service: 'reservations-service',
      spanKind: 'server',
    });
    expect(server.body).toEqual(ok([{ name: 'reservations_handler', spanKind: 'server' }], 1));
  });

  it('reads only the X-Scope-OrgID tenant', async () => {
    expect((await get('/jaeger/api/services', {}, 'hostile')).body.total).toBe(HOSTILE_TEXTS.length);
    expect((await get('/jaeger/api/services', {}, 'nobody')).body).toEqual(ok([], 0));
    expect((await get('/jaeger/api/services/user-service/operations', {}, 'nobody')).body).toEqual(ok([], 0));
    expect((await get('/jaeger/api/operations', { service: 'user-service' }, 'hostile')).body).toEqual(
      ok([], 0),
    );
  });

  it.each([
    ['/jaeger/api/operations', {}, "parameter 'service' is required"],
    [
      '/jaeger/api/operations',
      { service: 'user-service', spanKind: 'sideways' },
      /^unable to parse param 'spanKind': unsupported span kind 'sideways'/,
    ],
  ])('answers a malformed request to %s %j with 400 in the envelope', async (url, query, msg) => {
    const response = await get(url, query);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(badRequest(msg));
  });

  it('answers an invalid tenant id with 400 in the envelope on every endpoint', async () => {
    for (const url of [
      '/jaeger/api/services',
      '/jaeger/api/services/user-service/operations',
      '/jaeger/api/operations?service=user-service',
      '/jaeger/api/traces?service=user-service',
      `/jaeger/api/traces/${exampleTraceId(0)}`,
      '/jaeger/api/dependencies',
    ]) {
      const response = await get(url, {}, 'not a tenant/..');
      expect(response.status, url).toBe(400);
      expect(response.body, url).toEqual(badRequest(/tenant/i));
    }
  });
});

describe('GET /jaeger/api/traces/{traceID}', () => {
  it('answers the trace in Jaeger UI JSON: microseconds, typed tags, logs, references, processes', async () => {
    const traceId = exampleTraceId(2);
    const { status, body } = await get(`/jaeger/api/traces/${traceId}`);
    expect(status).toBe(200);
    expect(body.total).toBe(0);
    expect(body.errors).toBeNull();
    const [trace] = body.data as TraceJson[];
    expect(trace.traceID).toBe(traceId);
    expect(trace.warnings).toBeNull();
    expect(trace.spans.map((s) => s.operationName)).toEqual([
      'reservations_handler',
      'parse_request',
      'fetch_limit',
      'reservation_limits_handler',
      'validate_username',
      'fetch_record',
      'fetch_reservations_count',
      'make_reservation',
      'publish_reservation',
      'process_reservation',
    ]);
    const t0 = micros(baseSeconds + 20); // trace 2 starts 20 s after the base; R = 30 ms
    expect(trace.spans[2]).toEqual({
      traceID: traceId,
      spanID: exampleSpanId(2, 2),
      operationName: 'fetch_limit',
      references: [{ refType: 'CHILD_OF', traceID: traceId, spanID: exampleSpanId(2, 0) }],
      startTime: t0 + 3_000,
      duration: 13_500,
      tags: [
        { key: 'otel.scope.name', type: 'string', value: '@opentelemetry/instrumentation-http' },
        { key: 'otel.scope.version', type: 'string', value: '0.52.0' },
        { key: 'http.request.method', type: 'string', value: 'GET' },
        { key: 'url.full', type: 'string', value: 'http://user-service:8080/users/carol/limits' },
        { key: 'http.response.status_code', type: 'int64', value: 404 },
        { key: 'span.kind', type: 'string', value: 'client' },
        { key: 'otel.status_code', type: 'string', value: 'ERROR' },
        { key: 'error', type: 'bool', value: true },
        { key: 'otel.status_description', type: 'string', value: 'fetch_limit failed' },
      ],
      logs: [
        {
          timestamp: t0 + 4_000,
          fields: [
            { key: 'event', type: 'string', value: 'exception' },
            { key: 'exception.type', type: 'string', value: 'HttpError' },
            { key: 'exception.escaped', type: 'bool', value: true },
          ],
        },
      ],
      processID: 'p1',
      warnings: null,
    });
    // The consumer's link to its parent (the producer) makes that reference FOLLOWS_FROM.
    expect(trace.spans[9]).toMatchObject({
      operationName: 'process_reservation',
      references: [{ refType: 'FOLLOWS_FROM', traceID: traceId, spanID: exampleSpanId(2, 8) }],
      startTime: t0 + 31_500,
      duration: 6_000,
      processID: 'p3',
    });
    // Resource attributes but service.name, in order; the fixture numbers its resources 1, 2, 3.
    const processTags = (n: number) => [
      { key: 'telemetry.sdk.language', type: 'string', value: 'nodejs' },
      { key: 'host.name', type: 'string', value: `host-${n}` },
      { key: 'process.pid', type: 'int64', value: 100 + n },
    ];
    expect(trace.processes).toEqual({
      p1: { serviceName: 'reservations-service', tags: processTags(1) },
      p2: { serviceName: 'user-service', tags: processTags(2) },
      p3: { serviceName: 'notification-service', tags: processTags(3) },
    });
  });

  it('takes upper-case ids and the start/end Grafana adds; 404 in the envelope when absent', async () => {
    const upper = exampleTraceId(4).toUpperCase();
    const found = await get(`/jaeger/api/traces/${upper}`, { start: '1', end: String(Date.now()) });
    expect(found.status).toBe(200);
    expect((found.body.data as TraceJson[])[0].traceID).toBe(exampleTraceId(4));
    const missing = await get('/jaeger/api/traces/abc');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      data: null,
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ code: 404, msg: 'trace not found' }],
    });
    expect((await get(`/jaeger/api/traces/${exampleTraceId(4)}`, {}, 'hostile')).status).toBe(404);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['xyz', {}, /^unable to parse param 'traceID': "xyz" is not a trace id/],
    ['a'.repeat(33), {}, /^unable to parse param 'traceID'/],
    [exampleTraceId(1), { start: 'soon' }, /^unable to parse param 'start'/],
    [exampleTraceId(1), { raw: 'maybe' }, /^unable to parse param 'raw'/],
  ])('answers /traces/%s %j with 400 in the envelope', async (id, query, msg) => {
    const response = await get(`/jaeger/api/traces/${id}`, query);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(badRequest(msg));
  });
});

describe('GET /jaeger/api/dependencies', () => {
  it("answers Grafana's and Jaeger UI's request (endTs and lookback in ms) with parent/child/callCount", async () => {
    const response = await get('/jaeger/api/dependencies', {
      endTs: String(Date.now()),
      lookback: '604800000',
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual(
      ok([
        { parent: 'reservations-service', child: 'audit-service', callCount: 1 },
        { parent: 'reservations-service', child: 'notification-service', callCount: 5 },
        { parent: 'reservations-service', child: 'user-service', callCount: 10 },
      ]),
    );
  });

  it('narrows to the window and to one service; reads only the X-Scope-OrgID tenant', async () => {
    // Trace 0 only: the first 10 s after the base.
    const firstTrace = await get('/jaeger/api/dependencies', {
      endTs: String((baseSeconds + 5) * 1000),
      lookback: '5000',
    });
    expect(firstTrace.body.data).toEqual([
      { parent: 'reservations-service', child: 'notification-service', callCount: 1 },
      { parent: 'reservations-service', child: 'user-service', callCount: 1 },
    ]);
    const audit = await get('/jaeger/api/dependencies', { service: 'audit-service' });
    expect(audit.body.data).toEqual([
      { parent: 'reservations-service', child: 'audit-service', callCount: 1 },
    ]);
    const hostile = await get('/jaeger/api/dependencies', {}, 'hostile');
    expect((hostile.body.data as unknown[]).length).toBe(HOSTILE_TEXTS.length - 1);
  });

  it.each<[Record<string, string>, RegExp]>([
    [{ endTs: 'now' }, /^unable to parse param 'endTs'/],
    [{ lookback: '1h' }, /^unable to parse param 'lookback': "1h" is not an integer \(milliseconds\)/],
    [{ lookback: '-5' }, /^unable to parse param 'lookback': must not be negative/],
  ])('answers %j with 400 in the envelope', async (query, msg) => {
    const response = await get('/jaeger/api/dependencies', query);
    expect(response.status).toBe(400);
    expect(response.body).toEqual(badRequest(msg));
  });
});

describe('never a 500', () => {
  const garbage = [
    '%',
    '%zz',
    "')) OR 1=1 --",
    '\u0000',
    '-1',
    '1e400',
    '9'.repeat(40),
    '{"a":',
    '[]',
    'NaN',
  ];
  const endpoints = [
    ['/jaeger/api/services', []],
    ['/jaeger/api/operations', ['service', 'spanKind']],
    [
      '/jaeger/api/traces',
      ['service', 'operation', 'start', 'end', 'limit', 'tags', 'tag', 'minDuration', 'lookback', 'traceID'],
    ],
    ['/jaeger/api/dependencies', ['endTs', 'lookback', 'service']],
    ['/jaeger/api/v3/operations', ['service', 'span_kind']],
    [
      '/jaeger/api/v3/traces',
      ['query.service_name', 'query.start_time_min', 'query.attributes', 'query.num_traces'],
    ],
    ['/jaeger/api/v3/trace-summaries', ['query.serviceName', 'query.startTimeMax', 'query.durationMax']],
    ['/jaeger/api/metrics/calls', ['service', 'endTs', 'lookback', 'step', 'ratePer', 'spanKind']],
    ['/jaeger/api/metrics/latencies', ['service', 'quantile', 'groupByOperation']],
  ] as const;

  it('answers garbage in any parameter of any endpoint with a JSON 4xx or an answer', async () => {
    for (const [url, params] of endpoints) {
      for (const param of params) {
        for (const value of garbage) {
          const raw = `${url}?service=user-service&${encodeURIComponent(param)}=${encodeURIComponent(value)}`;
          // An empty tenant keeps the queries that do run short.
          const response = await app.inject({
            method: 'GET',
            url: raw,
            headers: { 'x-scope-orgid': 'nobody' },
          });
          expect(response.statusCode, raw).toBeLessThan(500);
          expect(() => response.json<unknown>(), raw).not.toThrow();
        }
      }
    }
    for (const id of ['%25', "'", '0'.repeat(32), 'f'.repeat(32), '%F0%9F%9A%80']) {
      for (const path of ['/jaeger/api/traces/', '/jaeger/api/v3/traces/', '/jaeger/api/services/'])
        expect((await app.inject({ method: 'GET', url: path + id })).statusCode, path + id).toBeLessThan(500);
    }
  });
});
