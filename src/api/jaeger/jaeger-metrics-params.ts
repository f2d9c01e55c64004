import type { SpanKindName } from '../../query/span-kinds.js';
import { JaegerParamError } from './jaeger-errors.js';
import type { QueryString } from './jaeger-params.js';
import { allValues, boolParam, integerParam, singleValue, spanKindParam } from './jaeger-params.js';
import { MAX_MS } from './jaeger-v1-params.js';

/** Jaeger's defaults for the metrics API (cmd/query/app/default_params.go). */
const DEFAULT_LOOKBACK_MS = 3_600_000n;
const DEFAULT_STEP_MS = 5_000n;
const DEFAULT_RATE_PER_MS = 600_000n;

/**
 * The smallest step we take, and the unit every step must be a multiple of: the store buckets spans
 * by whole seconds, so a finer step has nothing to show (Jaeger's Prometheus reader says 1 ms).
 */
export const MIN_STEP_MS = 1_000n;

export interface MetricsRequest {
  services: string[];
  groupByOperation: boolean;
  spanKind: SpanKindName;
  /** Unix seconds of the first point. */
  startSeconds: number;
  stepSeconds: number;
  /** Points after the first one: the points are `startSeconds + i × step`, i = 0…points. */
  points: number;
  /** Steps in the rate window (`ratePer`), at least one. */
  windowSteps: number;
}

/**
 * The metrics endpoints' parameters as query_parser.go parseMetricsQueryParams reads them:
 * `service` (repeatable, required), `groupByOperation`, `spanKind` (default server), `endTs`
 * (Unix ms, default now), `lookback`, `step`, `ratePer` (ms; default 1 h, 5 s, 10 min). Points run
 * from `endTs − lookback` every `step`, as a Prometheus range query's do. Two limits of ours:
 * `step` is whole seconds (the store buckets by second), and one span kind at a time (latency
 * quantiles of several kinds cannot be merged from per-kind series).
 */
export function metricsRequest(query: QueryString, nowMs = Date.now()): MetricsRequest {
  const services = allValues(query, 'service');
  if (services.length === 0)
    throw new JaegerParamError('service', 'please provide at least one service name');
  const groupByOperation = boolParam(query, 'groupByOperation') ?? false;
  const kinds = [...new Set(allValues(query, 'spanKind').map((k) => spanKindParam(k, 'spanKind')))];
  if (kinds.length > 1)
    throw new JaegerParamError('spanKind', `one span kind at a time, got ${kinds.join(', ')}`);
  const endMs = integerParam(query, 'endTs', 'Unix milliseconds') ?? BigInt(nowMs);
  const lookbackMs = integerParam(query, 'lookback', 'milliseconds') ?? DEFAULT_LOOKBACK_MS;
  const stepMs = integerParam(query, 'step', 'milliseconds') ?? DEFAULT_STEP_MS;
  const ratePerMs = integerParam(query, 'ratePer', 'milliseconds') ?? DEFAULT_RATE_PER_MS;
  if (lookbackMs < 0n) throw new JaegerParamError('lookback', 'must not be negative');
  if (stepMs < MIN_STEP_MS || stepMs % MIN_STEP_MS !== 0n)
    throw new JaegerParamError('step', `${stepMs} ms is not whole seconds (a multiple of 1000)`);
  if (ratePerMs <= 0n) throw new JaegerParamError('ratePer', 'must be positive');
  if (endMs > MAX_MS) throw new JaegerParamError('endTs', 'must not be after 2262 (Unix milliseconds)');
  const startMs = endMs - lookbackMs;
  if (startMs < 0n) throw new JaegerParamError('endTs', 'endTs − lookback is before 1970');
  return {
    services,
    groupByOperation,
    spanKind: kinds[0] ?? 'server',
    startSeconds: Number(startMs / 1000n),
    stepSeconds: Number(stepMs / 1000n),
    points: Number(lookbackMs / stepMs),
    // The rate window in whole steps, rounded to the nearest (10 min at 1 min steps: 10).
    windowSteps: Math.max(1, Math.round(Number(ratePerMs) / Number(stepMs))),
  };
}

/** A decimal number as `strconv.ParseFloat` reads one: `0.95`, `.5`, `1`, `5e-1`. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/**
 * `quantile` of the latencies endpoint, required: any number in [0, 1], as Jaeger's handler parses
 * it (`strconv.ParseFloat`) and hands it to `histogram_quantile` — Jaeger UI's Monitor tab asks
 * 0.5, 0.75 and 0.95. Outside [0, 1] Prometheus would answer ±Inf; we refuse it instead. Decimal
 * only: `Number()` would also take `0x1`, `0b1` and surrounding spaces, which ParseFloat refuses
 * (it takes hex only with a `p` exponent, which no client sends).
 */
export function quantileParam(query: QueryString): number {
  const text = singleValue(query, 'quantile') ?? '';
  const value = Number(text);
  if (!DECIMAL.test(text) || !Number.isFinite(value) || value < 0 || value > 1)
    throw new JaegerParamError('quantile', `"${text}" is not a quantile between 0 and 1`);
  return value;
}
