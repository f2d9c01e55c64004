import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import { encodeAnyValue } from '../../otlp/json/encode-any-value.js';
import type { MetricsSeries } from '../../query/metrics/traceql-metrics.js';
import { labelText, queryMetrics } from '../../query/metrics/traceql-metrics.js';
import type { TraceStore } from '../../store/trace-store.js';
import { parseTraceQL } from '../../traceql/parser.js';
import { parseGoDuration } from '../../pipeline/go-duration.js';
import type { RawQueryString } from '../query-string.js';
import { singleParams } from '../query-string.js';
import { queryErrorResponse } from './query-error-response.js';
import { BadSearchParameter } from './search-errors.js';

/** The parameters the metrics routes read, each taking one value. */
const METRICS_PARAMS = ['q', 'start', 'end', 'step', 'since'] as const;
type MetricsQuery = Partial<Record<(typeof METRICS_PARAMS)[number], string>>;

const NANOS_PER_SECOND = 1_000_000_000n;
/** Without start/end: the last hour, as Tempo's metrics default to recent data. */
const DEFAULT_LOOKBACK_NANOS = 3600n * NANOS_PER_SECOND;

/**
 * Tempo's TraceQL metrics API, computed from stored spans:
 *
 * - `GET /api/metrics/query_range?q=&start=&end=&step=` → `{"series": [{"labels": [{key, value}],
 *   "promLabels": "…", "samples": [{"timestampMs": "…", "value": n}], "exemplars": []}]}`;
 * - `GET /api/metrics/query?q=&start=&end=` (instant: one value over the range) →
 *   `{"series": [{"labels": […], "promLabels": "…", "value": n}]}`.
 *
 * `start`/`end` take Unix seconds, milliseconds or nanoseconds (by magnitude) or RFC 3339, as
 * Tempo does; `step` a Go duration or seconds (default: about 100 points over the range).
 */
export function registerMetricsRoutes(app: FastifyInstance, store: TraceStore): void {
  /** The query's series over the request's window, cut into steps of `stepFor(window)`. */
  const run = (
    request: FastifyRequest<{ Querystring: RawQueryString }>,
    stepFor: (params: MetricsQuery, startNanos: bigint, endNanos: bigint) => bigint,
  ): Promise<MetricsSeries[]> => {
    const params = singleParams(request.query, METRICS_PARAMS);
    const { startNanos, endNanos } = window(params);
    const stepNanos = stepFor(params, startNanos, endNanos);
    const tenant = tenantFromHeader(request.headers['x-scope-orgid']);
    return queryMetrics(store, tenant, query(params.q), { startNanos, endNanos, stepNanos });
  };
  app.get<{ Querystring: RawQueryString }>('/api/metrics/query_range', (request, reply) =>
    answer(reply, async () => {
      const series = await run(request, (params, start, end) => step(params.step, end - start));
      return {
        series: series.map((s) => ({
          labels: labelsJson(s),
          promLabels: promLabels(s),
          samples: s.samples.map((p) => ({ timestampMs: String(p.timestampMs), value: p.value })),
          exemplars: [],
        })),
      };
    }),
  );
  app.get<{ Querystring: RawQueryString }>('/api/metrics/query', (request, reply) =>
    answer(reply, async () => {
      // Instant: one step spanning the whole window.
      const series = await run(request, (_params, start, end) => end - start + 1n);
      return {
        series: series.map((s) => ({
          labels: labelsJson(s),
          promLabels: promLabels(s),
          value: s.samples[0]?.value ?? 0,
        })),
      };
    }),
  );
}

function query(q: string | undefined) {
  if (q === undefined || q.trim() === '')
    throw new BadSearchParameter('invalid q: a TraceQL metrics query is required, such as { } | rate()');
  return parseTraceQL(q);
}

function window(params: MetricsQuery): { startNanos: bigint; endNanos: bigint } {
  const now = BigInt(Date.now()) * 1_000_000n;
  const endNanos = params.end ? instant(params.end, 'end') : now;
  let startNanos: bigint;
  if (params.start) startNanos = instant(params.start, 'start');
  else if (params.since) startNanos = endNanos - durationNanos(params.since, 'since');
  else startNanos = endNanos - DEFAULT_LOOKBACK_NANOS;
  if (endNanos <= startNanos) throw new BadSearchParameter('invalid start: must be before end');
  return { startNanos, endNanos };
}

/** Unix seconds, milliseconds or nanoseconds told apart by size, or an RFC 3339 date. */
function instant(text: string, name: string): bigint {
  if (/^\d+$/.test(text)) {
    const n = BigInt(text);
    if (n < 100_000_000_000n) return n * NANOS_PER_SECOND;
    if (n < 100_000_000_000_000n) return n * 1_000_000n;
    return n;
  }
  if (/^\d+\.\d+$/.test(text)) return BigInt(Math.round(Number(text) * 1e3)) * 1_000_000n;
  const ms = Date.parse(text);
  if (Number.isNaN(ms) || !/^\d{4}-\d\d-\d\dT/.test(text))
    throw new BadSearchParameter(`invalid ${name}: "${text}" is not Unix time or RFC 3339`);
  return BigInt(ms) * 1_000_000n;
}

function durationNanos(text: string, name: string): bigint {
  const ms = /^\d+(\.\d+)?$/.test(text) ? Number(text) * 1000 : parseGoDuration(text);
  if (ms === undefined || !(ms > 0))
    throw new BadSearchParameter(`invalid ${name}: "${text}" is not a positive duration such as 30s`);
  return BigInt(Math.round(ms * 1e6));
}

function step(text: string | undefined, rangeNanos: bigint): bigint {
  if (text !== undefined && text !== '') return durationNanos(text, 'step');
  const automatic = rangeNanos / 100n;
  return automatic < NANOS_PER_SECOND ? NANOS_PER_SECOND : automatic;
}

function labelsJson(series: MetricsSeries): object[] {
  return series.labels.map((l) => ({ key: l.key, value: encodeAnyValue(l.value) }));
}

/** Prometheus' spelling of the labels, `{key="value", …}`, which Tempo adds for Grafana. */
function promLabels(series: MetricsSeries): string {
  return `{${series.labels.map((l) => `${l.key}=${JSON.stringify(labelText(l.value))}`).join(', ')}}`;
}

async function answer(reply: FastifyReply, body: () => Promise<object>): Promise<FastifyReply> {
  try {
    return await reply.type('application/json').send(JSON.stringify(await body()));
  } catch (error) {
    const response = queryErrorResponse(error);
    if (!response) throw error;
    return reply.code(response.status).type('text/plain').send(response.message);
  }
}
