import type { FastifyInstance } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import type { OperationSeries, SeriesPoint } from '../../query/operation-series.js';
import { operationSeries } from '../../query/operation-series.js';
import { validateTenant } from '../../store/schema/tenant-database.js';
import type { TraceStore } from '../../store/trace-store.js';
import { answer, sendJson, structured } from './jaeger-envelope.js';
import type { MetricsRequest } from './jaeger-metrics-params.js';
import { MIN_STEP_MS, metricsRequest, quantileParam } from './jaeger-metrics-params.js';
import type { QueryString } from './jaeger-params.js';

/** The latency quantile when a request names none. */
const SERIES_QUANTILE = 0.99;

interface MetricPoint {
  /** A number, or "NaN" as protojson writes a NaN double (Jaeger UI shows a gap). */
  gaugeValue: { doubleValue: number | 'NaN' };
  timestamp: string;
}

type Metric = 'latencies' | 'calls' | 'errors';

/**
 * Jaeger's Service Performance Monitoring API (`/api/metrics/{latencies,calls,errors}`), which the
 * Monitor tab calls, computed from stored spans instead of Prometheus. The answer is Jaeger's
 * `MetricFamily` in protojson, as its Prometheus reader builds it (metricstore/prometheus
 * reader.go, dbmodel/to_domain.go): one GAUGE metric per service (and operation), labels
 * `service_name` (first, as Jaeger UI reads it) and `operation`, RFC 3339 timestamps.
 *
 * - calls: spans per second over the `ratePer` window ending at each point (`rate(calls[ratePer])`);
 * - errors: error spans ÷ spans over the same window, NaN where there were none;
 * - latencies: milliseconds, the requested `quantile` of the step ending at each point.
 *
 * `/api/metrics/minstep` answers the smallest `step` we take, in milliseconds, as the `data` of the
 * v1 envelope (http_handler.go minStep) — unlike the three above, which answer a bare MetricFamily.
 */
export function registerJaegerMetricsRoutes(app: FastifyInstance, store: TraceStore): void {
  for (const metric of ['latencies', 'calls', 'errors'] as const) {
    app.get<{ Querystring: QueryString }>(`/jaeger/api/metrics/${metric}`, (request, reply) =>
      answer(reply, 'v1', async () => {
        const params = metricsRequest(request.query);
        const quantile = metric === 'latencies' ? quantileParam(request.query) : undefined;
        const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
        const series: OperationSeries[] = [];
        for (const service of params.services)
          series.push(...(await readSeries(store, tenant, params, service, quantile)));
        return sendJson(reply, metricFamily(metric, params, series, quantile));
      }),
    );
  }
  app.get('/jaeger/api/metrics/minstep', (request, reply) =>
    answer(reply, 'v1', async () => {
      // Nothing of the tenant's is read, but a malformed X-Scope-OrgID is refused on every query route.
      validateTenant(tenantFromHeader(request.headers['x-scope-orgid']));
      return sendJson(reply, structured(Number(MIN_STEP_MS)));
    }),
  );
}

/**
 * The buckets behind the points: `windowSteps` before the first point, then one per step. Where the
 * `ratePer` window reaches back before 1970 (an early `endTs`), the whole steps there hold no spans
 * and the store reads no negative time: they are left out of the read and put back empty, so that
 * bucket b still starts `b` steps after the window's start.
 */
async function readSeries(
  store: TraceStore,
  tenant: string,
  params: MetricsRequest,
  service: string,
  quantile: number | undefined,
): Promise<OperationSeries[]> {
  const { startSeconds, stepSeconds, points, windowSteps } = params;
  const first = startSeconds - windowSteps * stepSeconds;
  const skipped = first < 0 ? Math.ceil(-first / stepSeconds) : 0;
  const range = { start: first + skipped * stepSeconds, end: startSeconds + points * stepSeconds - 1 };
  if (range.end < range.start) return [];
  const series = await operationSeries(store, tenant, {
    range,
    stepSeconds,
    groupBy: params.groupByOperation ? 'operation' : 'service',
    selector: { service, spanKind: params.spanKind },
    quantile: quantile ?? SERIES_QUANTILE,
  });
  if (skipped === 0) return series;
  const before = Array.from({ length: skipped }, (_, b) => ({
    start: first + b * stepSeconds,
    count: 0,
    errorCount: 0,
    p99Nanos: null,
  }));
  return series.map((s) => ({ ...s, points: [...before, ...s.points] }));
}

export function metricFamily(
  metric: Metric,
  params: MetricsRequest,
  series: readonly OperationSeries[],
  quantile = SERIES_QUANTILE,
) {
  const scope = params.groupByOperation ? 'service_operation' : 'service';
  const grouped = `grouped by service${params.groupByOperation ? ' & operation' : ''}`;
  const { name, help } = {
    latencies: { name: `${scope}_latencies`, help: `${quantile.toFixed(2)}th quantile latency, ${grouped}` },
    calls: { name: `${scope}_call_rate`, help: `calls/sec, ${grouped}` },
    errors: {
      name: `${scope}_error_rate`,
      help: `error rate, computed as a fraction of errors/sec over calls/sec, ${grouped}`,
    },
  }[metric];
  return {
    name,
    type: 'GAUGE',
    help,
    // Always written (protojson would leave an empty list out, and Jaeger UI reads metrics[0]).
    metrics: series.map((s) => ({
      labels: [
        { name: 'service_name', value: s.service },
        ...(params.groupByOperation ? [{ name: 'operation', value: s.spanName ?? '' }] : []),
      ],
      metricPoints: metricPoints(metric, params, s.points),
    })),
  };
}

function metricPoints(
  metric: Metric,
  params: MetricsRequest,
  buckets: readonly SeriesPoint[],
): MetricPoint[] {
  const { startSeconds, stepSeconds, points, windowSteps } = params;
  const out: MetricPoint[] = [];
  for (let i = 0; i <= points; i++) {
    // Point i closes the window of buckets [i, i + windowSteps).
    let count = 0;
    let errors = 0;
    for (let b = i; b < i + windowSteps; b++) {
      count += buckets[b]?.count ?? 0;
      errors += buckets[b]?.errorCount ?? 0;
    }
    let value: number | 'NaN';
    if (metric === 'calls') value = count / (windowSteps * stepSeconds);
    else if (metric === 'errors') value = count === 0 ? 'NaN' : errors / count;
    else {
      const p99 = buckets[i + windowSteps - 1]?.p99Nanos ?? null;
      value = p99 === null ? 'NaN' : p99 / 1_000_000;
    }
    out.push({ gaugeValue: { doubleValue: value }, timestamp: rfc3339(startSeconds + i * stepSeconds) });
  }
  return out;
}

/** protojson's Timestamp: RFC 3339 in UTC, no fraction for whole seconds. */
function rfc3339(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}
