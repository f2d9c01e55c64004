import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../../test/support/example-system-fixture.js';
import { EXAMPLE_FACTS, openExampleStore } from '../../../test/support/example-system-fixture.js';
import { registerNativeRoutes } from './native-routes.js';

let example: ExampleStore;
let app: FastifyInstance;

beforeAll(async () => {
  example = await openExampleStore('tenant-a');
  app = Fastify();
  registerNativeRoutes(app, example.store);
});

afterAll(async () => {
  await app?.close();
  await example?.close();
});

async function get(path: string, query: Record<string, string> = {}, tenant = 'tenant-a') {
  const { start, end } = example.system.range;
  const response = await app.inject({
    method: 'GET',
    url: `/api/tracehouse${path}`,
    query: { start: String(start), end: String(end), ...query },
    headers: { 'x-scope-orgid': tenant },
  });
  return { status: response.statusCode, body: response.body, json: <T>() => response.json<T>() };
}

interface Red {
  requestCount: number;
  errorCount: number;
  rate: number;
  errorRatio: number;
}

describe('native API', () => {
  it('GET /service-graph: nodes and edges with rate, error ratio and latency quantiles', async () => {
    const response = await get('/service-graph', { edges: 'all-spans' });
    expect(response.status).toBe(200);
    const graph = response.json<{
      nodes: (Red & { service: string })[];
      edges: (Red & { client: string; server: string; latencyNanos: { p99: number } })[];
    }>();
    const seconds = example.system.range.end - example.system.range.start + 1;
    expect(graph.edges.map((e) => [e.client, e.server, e.requestCount, e.errorCount])).toEqual(
      EXAMPLE_FACTS.edges.map((e) => [e.client, e.server, e.requestCount, e.errorCount]),
    );
    const users = graph.edges.find((e) => e.server === 'user-service')!;
    expect(users.rate).toBeCloseTo(10 / seconds, 9);
    expect(users.errorRatio).toBeCloseTo(0.2, 9);
    expect(users.latencyNanos.p99).toBeGreaterThan(30e6);
    expect(graph.nodes.map((n) => n.service)).toEqual(EXAMPLE_FACTS.services);
  });

  it('GET /services: every service, with its entry spans as requests', async () => {
    const { services } = (await get('/services')).json<{ services: (Red & { service: string })[] }>();
    expect(services.map((s) => s.service)).toEqual(EXAMPLE_FACTS.services);
    const reservations = services.find((s) => s.service === 'reservations-service')!;
    expect([reservations.requestCount, reservations.errorCount, reservations.errorRatio]).toEqual([
      10, 2, 0.2,
    ]);
  });

  it('GET /operations: RED figures per operation, narrowed by service and kind', async () => {
    const all = (await get('/operations')).json<{ operations: { service: string; spanName: string }[] }>();
    expect(all.operations).toHaveLength(EXAMPLE_FACTS.operations.length);
    const users = (await get('/operations', { service: 'user-service', spanKind: 'server' })).json<{
      operations: { spanName: string; count: number; errorCount: number; errorRatio: number }[];
    }>();
    expect(users.operations.map((o) => [o.spanName, o.count, o.errorCount, o.errorRatio])).toEqual([
      ['reservation_limits_handler', 10, 1, 0.1],
    ]);
  });

  it('GET /operations/series: buckets of the step, grouped by service or operation', async () => {
    const response = await get('/operations/series', {
      groupBy: 'service',
      step: '10s',
      service: 'user-service',
    });
    const body = response.json<{
      step: number;
      series: { service: string; points: { count: number }[] }[];
    }>();
    expect(body.step).toBe(10);
    expect(body.series.map((s) => s.service)).toEqual(['user-service']);
    expect(body.series[0].points.reduce((sum, p) => sum + p.count, 0)).toBe(30);
  });

  it('GET /operations/series: a step longer than the range is cut to it, one point for the whole range', async () => {
    const response = await get('/operations/series', {
      groupBy: 'service',
      step: '1000000d',
      start: '0',
      service: 'user-service',
    });
    expect(response.status).toBe(200);
    const body = response.json<{ end: number; step: number; series: { points: { count: number }[] }[] }>();
    expect(body.step).toBe(body.end + 1);
    expect(body.series.map((s) => s.points.map((p) => p.count))).toEqual([[30]]);
  });

  it('GET /traces/<id>/stats: an early end alone reads from 1970, not from a negative default start', async () => {
    const response = await get(`/traces/${example.system.traceIds[0]}/stats`, { start: '', end: '5' });
    expect({ status: response.status, body: response.body }).toEqual({
      status: 404,
      body: 'trace not found',
    });
  });

  it('GET /traces/<id>/stats: a trace summary with nanoseconds as strings, 404 when unknown', async () => {
    const traceId = example.system.traceIds[0];
    const stats = (await get(`/traces/${traceId}/stats`, { start: '', end: '' })).json<
      Record<string, unknown>
    >();
    expect(stats).toMatchObject({
      traceId,
      rootServiceName: 'reservations-service',
      rootSpanName: 'reservations_handler',
    });
    expect(typeof stats.startUnixNano).toBe('string');
    expect((await get(`/traces/${'0'.repeat(31)}1/stats`)).status).toBe(404);
  });

  it('answers 400 naming the field for bad parameters, and reads the tenant from X-Scope-OrgID', async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['/service-graph', { start: 'yesterday' }, /invalid start/],
      ['/service-graph', { edges: 'some' }, /invalid edges/],
      ['/operations', { spanKind: 'SERVER' }, /invalid spanKind/],
      ['/operations/series', { step: '0' }, /invalid step/],
      ['/operations/series', { step: '1', start: '0' }, /step/],
      ['/traces/xyz/stats', {}, /invalid trace id/],
      ['/services', { start: '20', end: '10' }, /invalid start/],
    ];
    for (const [path, query, message] of cases) {
      const response = await get(path, query);
      expect(response.status, `${path} ${JSON.stringify(query)}`).toBe(400);
      expect(response.body).toMatch(message);
    }
    expect((await get('/services', {}, 'bad tenant!')).status).toBe(400);
    const other = (await get('/services', {}, 'tenant-b')).json<{ services: unknown[] }>();
    expect(other.services).toEqual([]);
  });

  it('GET /tenants: every tenant database, the default and the asking tenant; a token sees its own only', async () => {
    const response = await get('/tenants', {}, 'tenant-new');
    expect(response.status, response.body).toBe(200);
    const listed = response.json<{
      tenants: string[];
      current: string;
      default: string;
    }>();
    expect(listed.tenants).toEqual(expect.arrayContaining(['tenant-a', 'single-tenant', 'tenant-new']));
    expect(listed.tenants).toEqual([...listed.tenants].sort());
    expect([listed.current, listed.default]).toEqual(['tenant-new', 'single-tenant']);
    const withToken = await app.inject({
      method: 'GET',
      url: '/api/tracehouse/tenants',
      headers: { 'x-scope-orgid': 'tenant-a', authorization: 'Bearer some-token' },
    });
    expect(withToken.json()).toEqual({
      tenants: ['tenant-a'],
      current: 'tenant-a',
      default: 'single-tenant',
    });
    expect((await get('/tenants', {}, 'bad tenant!')).status).toBe(400);
  });
});
