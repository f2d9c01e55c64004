import { COLLECTOR_TRACE_COLUMNS, TRACES_TTL_FIELD } from './collector-traces-schema.js';
import { quoteIdentifier } from './sql-quote.js';
import type { ColumnDef } from './table-parts.js';
import { TRACEHOUSE_TRACE_COLUMNS } from './tracehouse-trace-columns.js';

/**
 * `tracehouse_spans_by_trace`: every stored column of `otel_traces` again, ordered by trace id
 * (migration 7). Trace by id is the read users wait on, and `otel_traces`, sorted by service and
 * span name as the collector's schema requires, spreads a trace over many granules; here a trace
 * is a few consecutive granules.
 *
 * It replaces `tracehouse_trace_spans` (trace-spans-schema.ts), which held each span as one JSON
 * text: as columns, ClickHouse hands a trace over as Native blocks that JavaScript reads without
 * parsing text (the UI's 100,000-span trace: ~0.4 s of JSON.parse gone), the insert writes the
 * columns instead of formatting JSON, and the copy is smaller on disk (measured on the UI
 * benchmark's synthetic trace: 14.3 bytes a span against 25.8 for the JSON copy). Rows of the old
 * table are still read until the TTL drops them.
 */
export const SPANS_BY_TRACE_TABLE = 'tracehouse_spans_by_trace';
export const SPANS_BY_TRACE_VIEW = 'tracehouse_spans_by_trace_mv';

/** Every stored column of `otel_traces` as of migration 2, with the same types and codecs. */
export const SPANS_BY_TRACE_COLUMNS: readonly ColumnDef[] = [
  ...COLLECTOR_TRACE_COLUMNS.filter((column) => column.alias === undefined),
  ...TRACEHOUSE_TRACE_COLUMNS,
];

export const SPANS_BY_TRACE_PARTITION_BY = 'toDate(Timestamp)';
export const SPANS_BY_TRACE_PRIMARY_KEY = 'TraceId';
export const SPANS_BY_TRACE_ORDER_BY = '(TraceId, Timestamp)';
export const SPANS_BY_TRACE_TTL_FIELD = TRACES_TTL_FIELD;
/**
 * Small granules: a small trace reads one granule of each column, so fewer rows a granule means
 * less to decompress; the sparse index stays small (a 32-character key per 256 rows).
 */
export const SPANS_BY_TRACE_SETTINGS = 'index_granularity = 256, ttl_only_drop_parts = 1';

/** The view's SELECT list: the columns by name (Nested ones as their `Events.Name`-style parts). */
export const SPANS_BY_TRACE_VIEW_SELECT = SPANS_BY_TRACE_COLUMNS.flatMap(storedNames)
  .map(quoteIdentifier)
  .join(', ');
export const SPANS_BY_TRACE_VIEW_WHERE = "TraceId != ''";

function storedNames(column: ColumnDef): string[] {
  if (!column.type.startsWith('Nested(')) return [column.name];
  const fields = [...column.type.matchAll(/`([^`]+)` /g)].map((match) => match[1]);
  return fields.map((field) => `${column.name}.${field}`);
}
