import type { ColumnDef, IndexDef } from './table-parts.js';
import { nestedType } from './table-parts.js';

/**
 * Facts of the OpenTelemetry Collector contrib ClickHouse exporter's traces schema
 * (`exporter/clickhouseexporter/internal/sqltemplates/traces_table.sql`,
 * `traces_id_ts_lookup_table.sql`, `traces_id_ts_lookup_mv.sql`, the Go-template versions that
 * replaced the `%s` ones), restated as data. FROZEN: migration 1 creates exactly this; any
 * change is a new migration.
 */

export const TRACES_TABLE = 'otel_traces';
export const TRACE_ID_TS_TABLE = 'otel_traces_trace_id_ts';
export const TRACE_ID_TS_VIEW = 'otel_traces_trace_id_ts_mv';

const STRING_MAP = 'Map(LowCardinality(String), String)';
const ZSTD = 'ZSTD(1)';

/** `otel_traces`, in the exporter's column order (its INSERT relies on the names, Grafana too). */
export const COLLECTOR_TRACE_COLUMNS: readonly ColumnDef[] = [
  { name: 'Timestamp', type: 'DateTime64(9)', codec: `Delta(8), ${ZSTD}` },
  { name: 'TraceId', type: 'String', codec: ZSTD },
  { name: 'SpanId', type: 'String', codec: ZSTD },
  { name: 'ParentSpanId', type: 'String', codec: ZSTD },
  { name: 'TraceState', type: 'String', codec: ZSTD },
  { name: 'SpanName', type: 'LowCardinality(String)', codec: ZSTD },
  { name: 'SpanKind', type: 'LowCardinality(String)', codec: ZSTD },
  { name: 'ServiceName', type: 'LowCardinality(String)', codec: ZSTD },
  { name: 'ResourceAttributes', type: STRING_MAP, codec: ZSTD },
  { name: 'ScopeName', type: 'String', codec: ZSTD },
  { name: 'ScopeVersion', type: 'String', codec: ZSTD },
  { name: 'SpanAttributes', type: STRING_MAP, codec: ZSTD },
  // The exporter stores end − start in nanoseconds; T64 packs the small integers first.
  { name: 'Duration', type: 'UInt64', codec: `T64, ${ZSTD}` },
  { name: 'StatusCode', type: 'LowCardinality(String)', codec: ZSTD },
  { name: 'StatusMessage', type: 'String', codec: ZSTD },
  {
    name: 'Events',
    type: nestedType([
      ['Timestamp', 'DateTime64(9)'],
      ['Name', 'LowCardinality(String)'],
      ['Attributes', STRING_MAP],
    ]),
    codec: ZSTD,
  },
  {
    name: 'Links',
    type: nestedType([
      ['TraceId', 'String'],
      ['SpanId', 'String'],
      ['TraceState', 'String'],
      ['Attributes', STRING_MAP],
    ]),
    codec: ZSTD,
  },
  // `key=value` items, computed on read, that the exporter's text indexes cover.
  {
    name: 'ResourceAttributeItems',
    type: 'Array(String)',
    alias:
      "arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(ResourceAttributes, 'Array(Tuple(String, String))'))",
  },
  {
    name: 'SpanAttributeItems',
    type: 'Array(String)',
    alias: "arrayMap(kv -> concat(kv.1, '=', kv.2), CAST(SpanAttributes, 'Array(Tuple(String, String))'))",
  },
];

/**
 * Skip indexes. The exporter asks the server's version: from ClickHouse 26.2 on it creates `text`
 * indexes (tokenizer `array`) on trace id and attribute keys/items, before that `bloom_filter`
 * ones on trace id and attribute keys/values. Both variants add the duration one.
 */
export function collectorTraceIndexes(textIndexes: boolean): readonly IndexDef[] {
  const text = "text(tokenizer = 'array')";
  const lookup: IndexDef[] = textIndexes
    ? [
        { name: 'idx_trace_id', expression: 'TraceId', type: text },
        { name: 'idx_res_attr_key', expression: 'mapKeys(ResourceAttributes)', type: text },
        { name: 'idx_res_attr_items', expression: 'ResourceAttributeItems', type: text },
        { name: 'idx_span_attr_key', expression: 'mapKeys(SpanAttributes)', type: text },
        { name: 'idx_span_attr_items', expression: 'SpanAttributeItems', type: text },
      ]
    : [
        { name: 'idx_trace_id', expression: 'TraceId', type: 'bloom_filter(0.001)', granularity: 1 },
        bloom('idx_res_attr_key', 'mapKeys(ResourceAttributes)'),
        bloom('idx_res_attr_value', 'mapValues(ResourceAttributes)'),
        bloom('idx_span_attr_key', 'mapKeys(SpanAttributes)'),
        bloom('idx_span_attr_value', 'mapValues(SpanAttributes)'),
      ];
  return [...lookup, { name: 'idx_duration', expression: 'Duration', type: 'minmax', granularity: 1 }];
}

function bloom(name: string, expression: string): IndexDef {
  return { name, expression, type: 'bloom_filter(0.01)', granularity: 1 };
}

/** The minimum ClickHouse version for which the exporter creates `text` indexes. */
export const TEXT_INDEX_MIN_VERSION = [26, 2] as const;

/** Table clauses after ENGINE, before TTL. The primary key is a prefix of the sort key. */
export const TRACES_PARTITION_BY = 'toDate(Timestamp)';
export const TRACES_PRIMARY_KEY = '(ServiceName, SpanName, toDateTime(Timestamp))';
export const TRACES_ORDER_BY = '(ServiceName, SpanName, toDateTime(Timestamp), Timestamp)';
/** `ttl_only_drop_parts`: expiry drops whole daily parts instead of rewriting them. */
export const TABLE_SETTINGS = 'index_granularity = 8192, ttl_only_drop_parts = 1';
/** The TTL is computed on this expression of each table. */
export const TRACES_TTL_FIELD = 'toDateTime(Timestamp)';

/**
 * `otel_traces_trace_id_ts`: one row per trace id and insert block, merged by an
 * AggregatingMergeTree (the exporter's default engine for it, `Replicated…` when the main table is
 * replicated) into the trace's first and last second.
 */
export const TRACE_ID_TS_COLUMNS: readonly ColumnDef[] = [
  { name: 'TraceId', type: 'String', codec: ZSTD },
  { name: 'Start', type: 'SimpleAggregateFunction(min, DateTime)', codec: ZSTD },
  { name: 'End', type: 'SimpleAggregateFunction(max, DateTime)', codec: ZSTD },
];
export const TRACE_ID_TS_PARTITION_BY = 'toStartOfWeek(Start)';
export const TRACE_ID_TS_ORDER_BY = '(TraceId)';
export const TRACE_ID_TS_TTL_FIELD = 'toDateTime(Start)';

/** The view's SELECT list and filter, from the traces table into the lookup table. */
export const TRACE_ID_TS_VIEW_SELECT =
  'TraceId, min(toDateTime(Timestamp)) AS Start, max(toDateTime(Timestamp)) AS End';
export const TRACE_ID_TS_VIEW_WHERE = "TraceId != ''";
export const TRACE_ID_TS_VIEW_GROUP_BY = 'TraceId';
