import { JaegerParamError, JaegerRequestError } from './jaeger-errors.js';
import type { JaegerTraceSearch } from './jaeger-find-traces.js';
import type { QueryString } from './jaeger-params.js';
import { boolParam, goDurationNanos, parseTags, rfc3339Nanos, singleValue } from './jaeger-params.js';
import { MAX_LIMIT } from './jaeger-v1-params.js';

const DEFAULT_SEARCH_DEPTH = 100;

/**
 * The value of a v3 parameter and the name it came under. Jaeger 2's gateway reads the camelCase
 * names of proto3 JSON first (`query.serviceName`) and the snake_case ones of its first release
 * (`query.service_name`, which Grafana sends) as aliases (apiv3/query_parser.go getQueryParam).
 */
export function v3Param(query: QueryString, ...names: string[]): { value: string; name: string } | undefined {
  for (const name of names) {
    const value = singleValue(query, name);
    if (value !== undefined) return { value, name };
  }
  return undefined;
}

/**
 * `GET /api/v3/traces` (and `/api/v3/trace-summaries`): api_v3 `TraceQueryParameters` through the
 * HTTP gateway — `query.start_time_min` / `query.start_time_max` required (RFC 3339, the maximum
 * exclusive), `query.service_name`, `query.operation_name`, `query.attributes` (JSON object of
 * strings), `query.duration_min` / `query.duration_max` (Go durations, on a span),
 * `query.search_depth` (or the older `query.num_traces`; default 100), `query.raw_traces`.
 */
export function v3TraceSearch(query: QueryString, timeoutMs: number): JaegerTraceSearch {
  const service = v3Param(query, 'query.serviceName', 'query.service_name');
  const operation = v3Param(query, 'query.operationName', 'query.operation_name');
  const attributes = v3Param(query, 'query.attributes');
  const tags = attributes === undefined ? [] : parseTags([attributes.value], attributes.name);
  // Jaeger refuses the structured filter unless a feature gate is on, and never ignores it.
  if (v3Param(query, 'query.filter') !== undefined)
    throw new JaegerParamError(
      'query.filter',
      'structured filters are not supported; use the other query.* fields',
    );
  const min = v3Param(query, 'query.startTimeMin', 'query.start_time_min');
  const max = v3Param(query, 'query.startTimeMax', 'query.start_time_max');
  if (min === undefined || max === undefined)
    throw new JaegerRequestError('query.start_time_min and query.start_time_max are required');
  const startNanos = rfc3339Nanos(min.value, min.name);
  const endNanos = rfc3339Nanos(max.value, max.name);
  if (startNanos >= endNanos) throw new JaegerRequestError(`${min.name} must be before ${max.name}`);
  const depth = v3Param(query, 'query.searchDepth', 'query.search_depth', 'query.num_traces');
  let limit = DEFAULT_SEARCH_DEPTH;
  if (depth !== undefined) {
    if (!/^[+-]?\d+$/.test(depth.value))
      throw new JaegerParamError(depth.name, `"${depth.value}" is not an integer`);
    const n = Number(depth.value);
    if (n < 0 || n > MAX_LIMIT)
      throw new JaegerParamError(depth.name, `${n} is not between 0 and ${MAX_LIMIT}`);
    if (n > 0) limit = n;
  }
  const durationMin = v3Param(query, 'query.durationMin', 'query.duration_min');
  const durationMax = v3Param(query, 'query.durationMax', 'query.duration_max');
  const minDurationNanos = durationMin && goDurationNanos(durationMin.value, durationMin.name);
  const maxDurationNanos = durationMax && goDurationNanos(durationMax.value, durationMax.name);
  if (minDurationNanos !== undefined && maxDurationNanos !== undefined && maxDurationNanos < minDurationNanos)
    throw new JaegerRequestError(`${durationMax!.name} must not be less than ${durationMin!.name}`);
  validateRaw(query, 'query.rawTraces', 'query.raw_traces');
  return {
    criteria: {
      service: service?.value,
      operation: operation?.value,
      tags,
      minDurationNanos,
      maxDurationNanos,
    },
    range: { startNanos, endNanos: endNanos - 1n },
    limit,
    timeoutMs,
  };
}

/**
 * `GET /api/v3/traces/{trace_id}`'s `start_time` / `end_time` (RFC 3339) and `raw_traces` are
 * validated; the trace-id index then finds the trace wherever it lies, and traces are answered raw.
 */
export function validateV3GetTraceParams(query: QueryString): void {
  for (const names of [
    ['startTime', 'start_time'],
    ['endTime', 'end_time'],
  ]) {
    const time = v3Param(query, ...names);
    if (time !== undefined) rfc3339Nanos(time.value, time.name);
  }
  validateRaw(query, 'rawTraces', 'raw_traces');
}

function validateRaw(query: QueryString, ...names: string[]): void {
  const raw = v3Param(query, ...names);
  if (raw !== undefined) boolParam({ [raw.name]: raw.value }, raw.name);
}
