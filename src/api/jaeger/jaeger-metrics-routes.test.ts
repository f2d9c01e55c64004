import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../../test/support/example-system-fixture.js';
import { openExampleStore } from '../../../test/support/example-system-fixture.js';
import { TENANT_A, tenantTrace } from '../../../test/support/two-tenant-store.js';
import { encodeSpanBlocks } from '../../store/rows/span-blocks.js';
import { registerJaegerRoutes } from './register-jaeger-routes.js';

/*
 * Golden tests of the Monitor tab's metrics endpoints over the example system, with the request
 * Jaeger UI's ServicesView sends (quantile, endTs, lookback, step 60 s, ratePer 10 min, spanKind;
 * packages/jaeger-ui/src/components/Monitor/ServicesView). Trace i's root — reservations-service's
 * SERVER span, an error in traces 2 and 7 — starts at base + 10 s × i and lasts 10 ms × (i + 1).
 */

let example: ExampleStore;
let app: FastifyInstance;
let base: number;

beforeAll(async () => {
  example = await openExampleStore('single-tenant', 'hostile');
  base = example.system.range.start;
  app = Fastify();
  registerJaegerRoutes(app, example.store, { timeoutMs: 30_000 });
});

afterAll(async () => {
  await app?.close();
  await example?.close();
});

/** `expect.stringMatching`, typed as the string it stands for (Vitest types its matchers `any`). */
const textMatching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

interface Family {
  name: string;
  type: string;
  help: string;
  metrics: {
    labels: { name: string; value: string }[];
    metricPoints: { gaugeValue: { doubleValue: number | string }; timestamp: string }[];
  }[];
}

/** Points at base, base + 60 s, base + 120 s; each rate window is the 120 s before its point. */
function monitorQuery(extra: Record<string, string> = {}) {
  return new URLSearchParams({
    service: 'reservations-service',
    endTs: String((base + 120) * 1000),
    lookback: '120000',
    step: '60000',
    ratePer: '120000',
    spanKind: 'server',
    ...extra,
  }).toString();
}

async function get(metric: string, query: string, tenant?: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/jaeger/api/metrics/${metric}?${query}`,
    headers: tenant === undefined ? {} : { 'x-scope-orgid': tenant },
  });
  return { status: response.statusCode, body: response.json<Family & Record<string, unknown>>() };
}

const at = (seconds: number) => new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
const values = (family: Family, i = 0) => family.metrics[i].metricPoints.map((p) => p.gaugeValue.doubleValue);

describe('GET /jaeger/api/metrics/{calls,errors,latencies}', () => {
  it('calls: spans per second over the ratePer window ending at each point, as a MetricFamily', async () => {
    const { status, body } = await get('calls', monitorQuery());
    expect(status).toBe(200);
    expect(body).toEqual({
      name: 'service_call_rate',
      type: 'GAUGE',
      help: 'calls/sec, grouped by service',
      metrics: [
        {
          labels: [{ name: 'service_name', value: 'reservations-service' }],
          metricPoints: [
            { gaugeValue: { doubleValue: 0 }, timestamp: at(base) },
            // [base − 60, base + 60): traces 0–5; [base, base + 120): all ten.
            { gaugeValue: { doubleValue: 6 / 120 }, timestamp: at(base + 60) },
            { gaugeValue: { doubleValue: 10 / 120 }, timestamp: at(base + 120) },
          ],
        },
      ],
    });
  });

  it('errors: error spans ÷ spans over the window, "NaN" (a gap in Jaeger UI) where there were none', async () => {
    const { body } = await get('errors', monitorQuery());
    expect(body.name).toBe('service_error_rate');
    expect(body.help).toBe(
      'error rate, computed as a fraction of errors/sec over calls/sec, grouped by service',
    );
    expect(values(body)).toEqual(['NaN', 1 / 6, 2 / 10]);
  });

  it('latencies: milliseconds, the asked quantile of the step ending at each point', async () => {
    const { status, body } = await get('latencies', monitorQuery({ quantile: '0.99' }));
    expect(status).toBe(200);
    expect(body.name).toBe('service_latencies');
    expect(body.help).toBe('0.99th quantile latency, grouped by service');
    const [none, first, second] = values(body) as [string, number, number];
    expect(none).toBe('NaN');
    // Roots of traces 0–5 last 10…60 ms, of 6–9 70…100 ms; the estimate is at most 0.4 % low.
    expect(first).toBeGreaterThan(59.7);
    expect(first).toBeLessThanOrEqual(60);
    expect(second).toBeGreaterThan(99.5);
    expect(second).toBeLessThanOrEqual(100);
    const p50 = await get('latencies', monitorQuery({ quantile: '0.5' }));
    expect(p50.status).toBe(200);
    expect(p50.body.help).toBe('0.50th quantile latency, grouped by service');
    const [, firstMedian, secondMedian] = values(p50.body) as [string, number, number];
    expect(firstMedian).toBeLessThan(first);
    expect(secondMedian).toBeLessThan(second);
  });

  it('latencies: any quantile from 0 to 1, as Jaeger takes it (its Monitor tab asks 0.5, 0.75, 0.95)', async () => {
    const answered: [string, number, string][] = [];
    for (const quantile of ['0', '0.5', '0.75', '0.95', '1']) {
      const { status, body } = await get('latencies', monitorQuery({ quantile }));
      answered.push([quantile, status, body.help]);
    }
    expect(answered).toEqual([
      ['0', 200, '0.00th quantile latency, grouped by service'],
      ['0.5', 200, '0.50th quantile latency, grouped by service'],
      ['0.75', 200, '0.75th quantile latency, grouped by service'],
      ['0.95', 200, '0.95th quantile latency, grouped by service'],
      ['1', 200, '1.00th quantile latency, grouped by service'],
    ]);
    // Over one step's spans the quantiles rise with q: traces 0–5's roots last 10…60 ms.
    const first = async (quantile: string) =>
      values((await get('latencies', monitorQuery({ quantile }))).body)[1] as number;
    const [q0, q50, q100] = [await first('0'), await first('0.5'), await first('1')];
    expect(q0).toBeLessThan(q50);
    expect(q50).toBeLessThan(q100);
  });

  it('groupByOperation: one metric per operation, labelled service_name and operation', async () => {
    const { body } = await get('calls', monitorQuery({ groupByOperation: 'true', spanKind: 'client' }));
    expect(body.name).toBe('service_operation_call_rate');
    expect(body.help).toBe('calls/sec, grouped by service & operation');
    expect(body.metrics.map((m) => m.labels)).toEqual(
      ['fetch_limit', 'fetch_reservations_count', 'make_reservation'].map((operation) => [
        { name: 'service_name', value: 'reservations-service' },
        { name: 'operation', value: operation },
      ]),
    );
    expect(values(body, 2)).toEqual([0, 6 / 120, 10 / 120]);
  });

  it('one metric per service asked; spanKind defaults to server; only the X-Scope-OrgID tenant', async () => {
    const query = new URLSearchParams(monitorQuery());
    query.delete('spanKind');
    query.append('service', 'user-service');
    const { body } = await get('calls', query.toString());
    expect(body.metrics.map((m) => m.labels[0].value)).toEqual(['reservations-service', 'user-service']);
    expect(values(body, 1)).toEqual([0, 6 / 120, 10 / 120]);
    expect((await get('calls', monitorQuery(), 'hostile')).body.metrics).toEqual([]);
  });

  it.each<[string, Record<string, string>, RegExp]>([
    ['calls', { service: '' }, /^unable to parse param 'service': please provide at least one service name/],
    ['latencies', {}, /^unable to parse param 'quantile': "" is not a quantile/],
    ['latencies', { quantile: 'high' }, /^unable to parse param 'quantile'/],
    ['latencies', { quantile: '1.5' }, /^unable to parse param 'quantile': "1.5" is not a quantile/],
    ['latencies', { quantile: '-0.1' }, /^unable to parse param 'quantile': "-0.1" is not a quantile/],
    ['calls', { endTs: 'now' }, /^unable to parse param 'endTs'/],
    ['calls', { endTs: '99999999999999999' }, /^unable to parse param 'endTs': must not be after 2262/],
    ['calls', { lookback: '-1' }, /^unable to parse param 'lookback'/],
    ['calls', { step: '1500' }, /^unable to parse param 'step': 1500 ms is not whole seconds/],
    ['errors', { ratePer: '0' }, /^unable to parse param 'ratePer'/],
    ['errors', { spanKind: 'sideways' }, /^unable to parse param 'spanKind'/],
    ['errors', { groupByOperation: 'maybe' }, /^unable to parse param 'groupByOperation'/],
    ['calls', { lookback: String(86_400_000 * 365), step: '1000' }, /^step: .* points per series/],
  ])('%s %j → 400 in the envelope', async (metric, extra, msg) => {
    const { status, body } = await get(metric, monitorQuery(extra));
    expect(status).toBe(400);
    expect(body).toEqual({
      data: null,
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ code: 400, msg: textMatching(msg) }],
    });
  });

  it('a ratePer window reaching before 1970 reads from 1970, the points staying on their windows', async () => {
    // One trace 300 s after the epoch; points every 60 s from 0 to 600 s, each over the 600 s before it.
    await example.store.insertSpans('early', encodeSpanBlocks(tenantTrace(TENANT_A, 300_000)));
    const query = new URLSearchParams({
      service: TENANT_A.frontend,
      endTs: '600000',
      lookback: '600000',
      step: '60000',
      ratePer: '600000',
    }).toString();
    const { status, body } = await get('calls', query, 'early');
    expect(status).toBe(200);
    // The SERVER span at 300 s is in the windows of the points at 360 s … 600 s.
    expect(values(body)).toEqual([0, 0, 0, 0, 0, 0, 1 / 600, 1 / 600, 1 / 600, 1 / 600, 1 / 600]);
    // A window wholly before 1970 reads nothing (it was refused as "start: … got -600").
    const early = await get('calls', 'service=x&endTs=1000&lookback=1000', 'early');
    expect({ status: early.status, metrics: early.body.metrics }).toEqual({ status: 200, metrics: [] });
  });

  it('refuses two span kinds at once (latency quantiles of several kinds cannot be merged)', async () => {
    const { status } = await get('calls', `${monitorQuery()}&spanKind=client`);
    expect(status).toBe(400);
  });
});

describe('GET /jaeger/api/metrics/minstep', () => {
  it('answers the smallest step we take, 1000 ms, in the v1 envelope as Jaeger does', async () => {
    const response = await app.inject({ method: 'GET', url: '/jaeger/api/metrics/minstep' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ data: 1000, total: 0, limit: 0, offset: 0, errors: null });
    // The step it names is taken; one below it is not.
    expect((await get('calls', monitorQuery({ step: '1000' }))).status).toBe(200);
    expect((await get('calls', monitorQuery({ step: '999' }))).status).toBe(400);
  });
});
