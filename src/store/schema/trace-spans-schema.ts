import { SPAN_ROW_FIELDS } from '../reader/span-row-select.js';
import { TRACES_TTL_FIELD } from './collector-traces-schema.js';
import type { ColumnDef } from './table-parts.js';

/**
 * `tracehouse_trace_spans`: every span again, ordered by trace id, as one JSON row. Trace by id
 * is the read users wait on (opening a trace in Grafana, Jaeger UI or our UI), and
 * `otel_traces`, sorted by service and span name as the collector's schema requires, spreads a
 * trace over many granules of ~45 columns each: ~100 ms a trace at 10 M spans. Here a trace is
 * one granule of one column: ~5 ms. The price, measured: ~30 bytes a span on disk, and the
 * view's formatting at insert (ClickHouse's threads, not Node's).
 *
 * Each row is a JSON array: the layout version, then SPAN_ROW_FIELDS' values in their order.
 * A view, once created, keeps its SELECT, so a change to SPAN_ROW_FIELDS needs a new layout
 * version (a new migration replacing the view), and the reader keeps reading the older ones.
 */
export const TRACE_SPANS_TABLE = 'tracehouse_trace_spans';
export const TRACE_SPANS_VIEW = 'tracehouse_trace_spans_mv';
export const TRACE_SPANS_LAYOUT_VERSION = 1;
/** The names of layout 1's values after the version, frozen: the reader maps positions by them. */
export const TRACE_SPANS_LAYOUT_1: readonly string[] = SPAN_ROW_FIELDS.map((field) => field.name);

export const TRACE_SPANS_COLUMNS: readonly ColumnDef[] = [
  { name: 'TraceId', type: 'String', codec: 'ZSTD(1)' },
  { name: 'Timestamp', type: 'DateTime64(9)', codec: 'Delta(8), ZSTD(1)' },
  { name: 'Span', type: 'String', codec: 'ZSTD(1)' },
];
export const TRACE_SPANS_PARTITION_BY = 'toDate(Timestamp)';
export const TRACE_SPANS_ORDER_BY = '(TraceId, Timestamp)';
export const TRACE_SPANS_TTL_FIELD = TRACES_TTL_FIELD;
/**
 * Small granules: a trace read decompresses one granule of JSON rows, so fewer rows a granule
 * means less work per read; the sparse index stays small (a 32-character key per 256 rows).
 */
export const TRACE_SPANS_SETTINGS = 'index_granularity = 256, ttl_only_drop_parts = 1';

export const TRACE_SPANS_VIEW_SELECT =
  `TraceId, Timestamp, formatRowNoNewline('JSONCompactEachRow', ${TRACE_SPANS_LAYOUT_VERSION}, ` +
  `${SPAN_ROW_FIELDS.map((field) => field.sql).join(', ')}) AS Span`;
export const TRACE_SPANS_VIEW_WHERE = "TraceId != ''";
