import type { QueryParams } from '../../store/driver/clickhouse-driver.js';
import { quoteIdentifier } from '../../store/schema/sql-quote.js';
import type { SearchPlan } from '../../traceql/sql/search-plan.js';

/** Nanoseconds since the Unix epoch, inclusive on both ends. */
export interface NanoRange {
  readonly startNanos: bigint;
  readonly endNanos: bigint;
}

const RANGE_CONDITION =
  'Timestamp >= fromUnixTimestamp64Nano({range_start:Int64}) AND Timestamp <= fromUnixTimestamp64Nano({range_end:Int64})';

function rangeParams(range: NanoRange): QueryParams {
  return { range_start: range.startNanos, range_end: range.endNanos };
}

/**
 * The per-trace facts TraceQL's trace-level intrinsics read, over the same time range, joined to
 * each span by trace id (renamed so no column name is ambiguous across the join).
 */
function traceInfoJoin(table: string, extraWhere: string): string {
  return `LEFT JOIN (
    SELECT TraceId AS info_trace_id,
      anyIf(SpanName, ParentSpanId = '') AS rootName,
      anyIf(ServiceName, ParentSpanId = '') AS rootServiceName,
      toInt64(max(toUnixTimestamp64Nano(Timestamp) + Duration) - min(toUnixTimestamp64Nano(Timestamp))) AS traceDuration
    FROM ${table}
    WHERE ${RANGE_CONDITION}${extraWhere}
    GROUP BY TraceId
  ) AS trace_info ON TraceId = trace_info.info_trace_id`;
}

function flagColumns(plan: SearchPlan): string {
  return plan.filters.map((sql, i) => `(${sql}) AS m${i}`).join(', ');
}

function anyFlag(plan: SearchPlan): string {
  return plan.filters.map((_, i) => `m${i}`).join(' OR ');
}

/** The filters themselves in the scan's WHERE, so ClickHouse uses the sort key and skip indexes. */
function anyFilter(plan: SearchPlan): string {
  return plan.filters.map((sql) => `(${sql})`).join(' OR ');
}

/**
 * Finds up to `limit` traces in the range that can match, newest first: each span is tested
 * against every filter once, spans matching none are dropped before grouping, and the trace-level
 * prefilter (`max(m0) AND max(m1)` for `{A} && {B}`) keeps only traces that have what the query
 * needs. `excluded` are traces already found in a newer window.
 */
export function candidateTracesSql(
  database: string,
  plan: SearchPlan,
  range: NanoRange,
  limit: number,
  excluded: readonly string[],
): { sql: string; params: QueryParams } {
  const table = `${quoteIdentifier(database)}.otel_traces`;
  const exclusion = excluded.length > 0 ? ' AND TraceId NOT IN {excluded:Array(String)}' : '';
  const join = plan.needsTraceInfo ? traceInfoJoin(table, '') : '';
  const sql = `SELECT TraceId AS traceId, toString(toUnixTimestamp64Nano(min(Timestamp))) AS first
FROM (
  SELECT TraceId, Timestamp, ${flagColumns(plan)}${plan.aggregateInputs.map((sql, j) => `, (${sql}) AS a${j}`).join('')}
  FROM ${table} ${join}
  WHERE ${RANGE_CONDITION}${exclusion} AND (${anyFilter(plan)})
)
GROUP BY TraceId
HAVING ${plan.prefilter}
ORDER BY first DESC, traceId
LIMIT {limit:UInt32}`;
  return { sql, params: { ...plan.params.all(), ...rangeParams(range), limit, excluded } };
}

/** One trace's facts and its spans that matched any filter, as the details query returns them. */
export interface TraceDetailsRow {
  traceId: string;
  start: string;
  end: string;
  rootServiceName: string;
  rootName: string;
  roots: string;
  spanCount: string;
  /** [service names, span counts, error counts]. */
  serviceStats: [string[], string[], string[]];
  /** [spanId, parentSpanId, name, serviceName, startNanos, durationNanos, flags, fields]. */
  matched: [string, string, string, string, string, string, number[], [string, string | null][]][];
  /** [spanId, parentSpanId] of every span, when the query has structural operators. */
  skeleton?: [string, string][];
}

/** The details of the candidate traces: root facts, matching spans with flags and fields. */
export function traceDetailsSql(
  database: string,
  plan: SearchPlan,
  range: NanoRange,
  traceIds: readonly string[],
): { sql: string; params: QueryParams } {
  const table = `${quoteIdentifier(database)}.otel_traces`;
  const ids = ' AND TraceId IN {trace_ids:Array(String)}';
  const join = plan.needsTraceInfo ? traceInfoJoin(table, ids) : '';
  const fieldList =
    plan.fields.length > 0
      ? `[${plan.fields.join(', ')}]`
      : "CAST([], 'Array(Tuple(String, Nullable(String)))')";
  const flags = `[${plan.filters.map((_, i) => `toUInt8(m${i})`).join(', ')}]`;
  const skeleton = plan.needsSkeleton ? ',\n  groupArray(tuple(SpanId, ParentSpanId)) AS skeleton' : '';
  const sql = `SELECT TraceId AS traceId,
  toString(min(toUnixTimestamp64Nano(Timestamp))) AS start,
  toString(max(toUnixTimestamp64Nano(Timestamp) + Duration)) AS end,
  anyIf(ServiceName, ParentSpanId = '') AS rootServiceName,
  anyIf(SpanName, ParentSpanId = '') AS rootName,
  toString(countIf(ParentSpanId = '')) AS roots,
  toString(count()) AS spanCount,
  sumMap([ServiceName], [toUInt64(1)], [toUInt64(StatusCode IN ('Error', 'STATUS_CODE_ERROR'))]) AS serviceStats,
  groupArrayIf(tuple(SpanId, ParentSpanId, SpanName, ServiceName, toString(toUnixTimestamp64Nano(Timestamp)), toString(Duration), flags, fieldValues), ${anyFlag(plan)}) AS matched${skeleton}
FROM (
  SELECT TraceId, SpanId, ParentSpanId, SpanName, ServiceName, StatusCode, Timestamp, Duration, ${flagColumns(plan)},
    ${flags} AS flags, ${fieldList} AS fieldValues
  FROM ${table} ${join}
  WHERE ${RANGE_CONDITION}${ids}
)
GROUP BY TraceId`;
  return { sql, params: { ...plan.params.all(), ...rangeParams(range), trace_ids: traceIds } };
}
