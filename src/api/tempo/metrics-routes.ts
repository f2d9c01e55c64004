import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { tenantFromHeader } from '../../model/tenant.js';
import { encodeAnyValue } from '../../otlp/json/encode-any-value.js';
import type { MetricsSeries } from '../../query/metrics/traceql-metrics.js';
import { labelText, queryMetrics } from '../../query/metrics/traceql-metrics.js';
import type { TraceStore } from '../../store/trace-store.js';
import { parseTraceQL } from '../../traceql/parser.js';
import { MAX_INT64, goDurationParam } from '../go-duration.js';
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

/**
 * Unix seconds, milliseconds or nanoseconds told apart by size, fractional seconds (rounded to the
 * millisecond, as Tempo's parseTimestamp does), or an RFC 3339 date; at most 2^63 − 1 ns (2262),
 * the nanosecond count spans are stored in.
 */
function instant(text: string, name: string): bigint {
  let nanos: bigint;
  if (/^\d+$/.test(text)) {
    // More digits than any nanosecond count: out of range, without a hostile numeral reaching BigInt.
    const n = text.length > 30 ? MAX_INT64 + 1n : BigInt(text);
    if (n < 100_000_000_000n) nanos = n * NANOS_PER_SECOND;
    else if (n < 100_000_000_000_000n) nanos = n * 1_000_000n;
    else nanos = n;
  } else if (/^\d+\.\d+$/.test(text)) {
    const ms = Math.round(Number(text) * 1e3);
    nanos = Number.isFinite(ms) ? BigInt(ms) * 1_000_000n : MAX_INT64 + 1n;
  } else {
    const ms = Date.parse(text);
    if (Number.isNaN(ms) || !/^\d{4}-\d\d-\d\dT/.test(text))
      throw new BadSearchParameter(`invalid ${name}: "${text}" is not Unix time or RFC 3339`);
    nanos = BigInt(ms) * 1_000_000n;
  }
  if (nanos > MAX_INT64)
    throw new BadSearchParameter(`invalid ${name}: "${text}" is out of range (at most 2262-04-11)`);
  return nanos;
}

/**
 * A positive duration: seconds (`30`, `0.5`; Tempo's parseDuration tries a float first) or a Go
 * duration (`30s`), at least a nanosecond once fractions below one are dropped — `queryMetrics`
 * divides by it — and at most 2^63 − 1 ns.
 */
function durationNanos(text: string, name: string): bigint {
  const refuse = (detail: string) => new BadSearchParameter(`invalid ${name}: ${detail}`);
  const nanos = goDurationParam(text, refuse, { bareSeconds: true });
  if (nanos < 1n) throw refuse(`"${text}" is not a positive duration such as 30s (at least 1ns)`);
  return nanos;
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
