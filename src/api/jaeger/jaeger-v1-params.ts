import type { TimeRange } from '../../query/span-query.js';
import { JaegerParamError, JaegerRequestError } from './jaeger-errors.js';
import type { JaegerTraceSearch } from './jaeger-find-traces.js';
import type { QueryString } from './jaeger-params.js';
import {
  allValues,
  boolParam,
  goDurationNanos,
  integerParam,
  lookbackNanos,
  parseTags,
  parseTraceId,
  singleValue,
} from './jaeger-params.js';

/** Jaeger query's defaults (cmd/query/app: defaultQueryLimit, default*LookbackDuration). */
const DEFAULT_LIMIT = 100;
const DEFAULT_SEARCH_LOOKBACK_NANOS = 2n * 86_400n * 1_000_000_000n;
const DEFAULT_DEPENDENCY_LOOKBACK_MS = 86_400_000n;
/** The last millisecond a span's nanosecond timestamp (Int64) can hold: in 2262. */
export const MAX_MS = 9_223_372_036_854n;
/** Each found trace is loaded whole; past this a search is refused rather than left to run. */
export const MAX_LIMIT = 10_000;

export type V1TracesRequest =
  | { kind: 'search'; search: JaegerTraceSearch }
  /** `traceID=…` (repeatable): those traces, no search (http_handler.go tracesByIDs). */
  | { kind: 'ids'; traceIds: string[] };

/**
 * `GET /api/traces` as Jaeger's query_parser.go parseTraceQueryParams reads it: `service`
 * (required unless `traceID` is given), `operation`, `start`/`end` (Unix microseconds; default
 * now and two days before), `tags` (JSON object) and `tag` (`key:value`), `limit` (default 100),
 * `minDuration`/`maxDuration` (Go durations, on a span). `lookback` (`1h`, `2d`, `custom`), which
 * Jaeger UI sends alongside and Jaeger ignores, stands in for a missing `start`.
 */
export function v1TracesRequest(query: QueryString, timeoutMs: number, nowMs = Date.now()): V1TracesRequest {
  // Every parameter is read before the by-id branch, so a malformed one is refused either way.
  const service = singleValue(query, 'service');
  const operation = singleValue(query, 'operation');
  const startMicros = integerParam(query, 'start', 'Unix microseconds');
  const endMicros = integerParam(query, 'end', 'Unix microseconds');
  const tags = parseTags(allValues(query, 'tags'), 'tags', allValues(query, 'tag'));
  const limitParam = integerParam(query, 'limit', 'traces');
  const limit = limitParam === undefined || limitParam === 0n ? DEFAULT_LIMIT : Number(limitParam);
  if (limit < 0 || limit > MAX_LIMIT)
    throw new JaegerParamError('limit', `${limit} is not between 0 and ${MAX_LIMIT}`);
  const minText = singleValue(query, 'minDuration');
  const maxText = singleValue(query, 'maxDuration');
  const minDurationNanos = minText === undefined ? undefined : goDurationNanos(minText, 'minDuration');
  const maxDurationNanos = maxText === undefined ? undefined : goDurationNanos(maxText, 'maxDuration');
  const traceIds = allValues(query, 'traceID').map((id) => parseTraceId(id, 'traceID'));
  const lookbackText = singleValue(query, 'lookback');
  const lookback = lookbackText === undefined ? undefined : lookbackNanos(lookbackText, 'lookback');

  if (traceIds.length > 0) return { kind: 'ids', traceIds };
  if (service === undefined) throw new JaegerRequestError("parameter 'service' is required");
  if (minDurationNanos && maxDurationNanos && maxDurationNanos < minDurationNanos)
    throw new JaegerRequestError("'maxDuration' should be greater than 'minDuration'");

  const endNanos = endMicros === undefined ? BigInt(nowMs) * 1_000_000n : endMicros * 1000n;
  const startNanos =
    startMicros === undefined ? endNanos - (lookback ?? DEFAULT_SEARCH_LOOKBACK_NANOS) : startMicros * 1000n;
  if (endNanos < startNanos) throw new JaegerRequestError("'start' must not be after 'end'");
  return {
    kind: 'search',
    search: {
      criteria: {
        service,
        operation,
        tags,
        minDurationNanos,
        maxDurationNanos,
      },
      // Microsecond bounds: the end microsecond is included whole.
      range: { startNanos: startNanos < 0n ? 0n : startNanos, endNanos: endNanos + 999n },
      limit,
      timeoutMs,
    },
  };
}

/**
 * `GET /api/dependencies`: `endTs` (Unix milliseconds, default now) and `lookback` (milliseconds,
 * default 24 h), as query_parser.go parseDependenciesQueryParams; whole seconds for the store,
 * widened outwards.
 */
export function v1DependenciesRange(query: QueryString, nowMs = Date.now()): TimeRange {
  const endMs = integerParam(query, 'endTs', 'Unix milliseconds') ?? BigInt(nowMs);
  const lookbackMs = integerParam(query, 'lookback', 'milliseconds') ?? DEFAULT_DEPENDENCY_LOOKBACK_MS;
  if (endMs < 0n) throw new JaegerParamError('endTs', 'must not be before 1970');
  if (lookbackMs < 0n) throw new JaegerParamError('lookback', 'must not be negative');
  const startMs = endMs - lookbackMs;
  if (endMs > MAX_MS) throw new JaegerParamError('endTs', 'must not be after 2262 (Unix milliseconds)');
  return { start: startMs < 0n ? 0 : Number(startMs / 1000n), end: Number(endMs / 1000n) };
}

/**
 * Trace by id's `start`/`end` (Unix microseconds) and `raw` are validated, then not needed: the
 * trace-id index finds the trace's time range, and traces are always answered raw. (Grafana sends
 * `start`/`end` here in milliseconds, so trusting them would miss traces.)
 */
export function validateV1TraceByIdParams(query: QueryString): void {
  integerParam(query, 'start', 'Unix microseconds');
  integerParam(query, 'end', 'Unix microseconds');
  boolParam(query, 'raw');
}
