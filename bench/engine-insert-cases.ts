import type { TraceSpansViewSelect } from './trace-spans-view-selects.js';

/**
 * The cases of engine-insert-probe.ts: one insert shape each, run in its own process on a fresh
 * data folder (engine-insert-case.ts).
 */
export interface EngineInsertCase {
  name: string;
  /**
   * What the insert reads: the store's Native blocks; RowBinary rows of every column the store
   * writes; or RowBinary rows of the collector exporter's columns only (the measurement).
   */
  format: 'native' | 'rowbinary' | 'rowbinary-collector';
  /**
   * Which materialized views on `otel_traces` exist during the inserts: none, the trace-id lookup
   * table's, the JSON trace-spans copy's, both (the real schema), or the lookup and a copy view
   * that writes the same rows without the JSON (what the copy costs apart from its formatting),
   * or the lookup's and, with no view, the copy inserted from rows Node wrote: the store's own
   * layout-3 rows (each span's OTLP protobuf, encode-trace-span-rows.ts, Native blocks), in a
   * second INSERT after each one into `otel_traces`, as the store exporter does since migration 7.
   */
  views: 'none' | 'lookup' | 'spans' | 'all' | 'lookup+plain-copy' | 'lookup+proto-copy';
  /** Spans a single INSERT reads: a multiple of the chunk written by the generator (18,432). */
  rowsPerInsert: number;
  /** Extra `SETTINGS` of each INSERT, after the ones the embedded driver sends. */
  insertSettings?: string;
  /** `ALTER TABLE … MODIFY SETTING` applied to every table before inserting. */
  tableSettings?: string;
  /**
   * Files each INSERT reads (its chunks split among them, read by one `file()` glob): more than
   * one lets ClickHouse run the insert's pipeline, views included, in that many streams.
   */
  filesPerInsert?: number;
  /** Statements run before inserting, `{db}` standing for the case's database (quoted). */
  setup?: readonly string[];
  /** OPTIMIZE FINAL afterwards and report bytes a span. */
  bytes?: boolean;
  /** The JSON copy's SELECT (trace-spans-view-selects.ts); the migrated schema's if omitted. */
  spansSelect?: TraceSpansViewSelect;
  /**
   * Insert into the collector exporter's tables alone (its `otel_traces` without Tracehouse's
   * columns, its trace-id lookup table and view), in a database of their own, with its `text`
   * (ClickHouse ≥ 26.2) or `bloom_filter` skip indexes: the setting of the issue's own figures.
   */
  exporterTablesOnly?: { textIndexes: boolean };
}

/** The flush of today: 16 MiB of log, 18,432 synthetic spans, Native, both views. */
export const FLUSH_ROWS = 18_432;
const BIG = FLUSH_ROWS * 8;

export const ENGINE_INSERT_CASES: readonly EngineInsertCase[] = [
  // The measurement as it states it: RowBinary files read by INSERT … SELECT … FROM file
  // into the exporter's schema, 1 M spans of ~11 attributes, then bytes after merges.
  ...([true, false] as const).flatMap((textIndexes): EngineInsertCase[] => [
    {
      name: `exporter tables only (${textIndexes ? 'text' : 'bloom_filter'} indexes), RowBinary, 1M in one insert`,
      format: 'rowbinary-collector',
      views: 'lookup',
      rowsPerInsert: FLUSH_ROWS * 57,
      exporterTablesOnly: { textIndexes },
      bytes: true,
    },
    {
      name: `exporter tables only (${textIndexes ? 'text' : 'bloom_filter'} indexes), RowBinary, 147k`,
      format: 'rowbinary-collector',
      views: 'lookup',
      rowsPerInsert: BIG,
      exporterTablesOnly: { textIndexes },
    },
  ]),
  {
    name: 'rowbinary-collector, no views, 147k',
    format: 'rowbinary-collector',
    views: 'none',
    rowsPerInsert: BIG,
  },
  { name: 'rowbinary, no views, 147k', format: 'rowbinary', views: 'none', rowsPerInsert: BIG },
  { name: 'native, no views, 18k', format: 'native', views: 'none', rowsPerInsert: FLUSH_ROWS },
  { name: 'native, no views, 147k', format: 'native', views: 'none', rowsPerInsert: BIG, bytes: true },
  { name: 'native, lookup view, 18k', format: 'native', views: 'lookup', rowsPerInsert: FLUSH_ROWS },
  { name: 'native, spans view, 18k', format: 'native', views: 'spans', rowsPerInsert: FLUSH_ROWS },
  {
    name: 'native, lookup + plain copy, 18k',
    format: 'native',
    views: 'lookup+plain-copy',
    rowsPerInsert: FLUSH_ROWS,
  },
  {
    name: 'native, all views, 18k (today)',
    format: 'native',
    views: 'all',
    rowsPerInsert: FLUSH_ROWS,
    bytes: true,
  },
  { name: 'native, all views, 37k', format: 'native', views: 'all', rowsPerInsert: FLUSH_ROWS * 2 },
  { name: 'native, all views, 74k', format: 'native', views: 'all', rowsPerInsert: FLUSH_ROWS * 4 },
  { name: 'native, all views, 147k', format: 'native', views: 'all', rowsPerInsert: BIG, bytes: true },
  { name: 'native, all views, 295k', format: 'native', views: 'all', rowsPerInsert: BIG * 2 },
  { name: 'native, lookup view, 147k', format: 'native', views: 'lookup', rowsPerInsert: BIG },
  { name: 'native, spans view, 147k', format: 'native', views: 'spans', rowsPerInsert: BIG },
  {
    name: 'native, lookup + plain copy, 147k',
    format: 'native',
    views: 'lookup+plain-copy',
    rowsPerInsert: BIG,
  },
  {
    name: 'native, lookup + proto copy by Node, 147k',
    format: 'native',
    views: 'lookup+proto-copy',
    rowsPerInsert: BIG,
    bytes: true,
  },
  {
    name: 'native, lookup + proto copy by Node, 18k',
    format: 'native',
    views: 'lookup+proto-copy',
    rowsPerInsert: FLUSH_ROWS,
  },
  {
    name: 'proto copy, 37k (the 32 MiB flush)',
    format: 'native',
    views: 'lookup+proto-copy',
    rowsPerInsert: FLUSH_ROWS * 2,
    bytes: true,
  },
  {
    name: 'proto copy, 37k, compact inserts (wide from 128 MiB)',
    format: 'native',
    views: 'lookup+proto-copy',
    rowsPerInsert: FLUSH_ROWS * 2,
    tableSettings: 'min_bytes_for_wide_part = 134217728',
  },
  {
    name: 'proto copy, 37k, compact inserts (wide from 32 MiB)',
    format: 'native',
    views: 'lookup+proto-copy',
    rowsPerInsert: FLUSH_ROWS * 2,
    tableSettings: 'min_bytes_for_wide_part = 33554432',
    bytes: true,
  },
  {
    name: 'proto copy, 37k, merges of 10+ parts',
    format: 'native',
    views: 'lookup+proto-copy',
    rowsPerInsert: FLUSH_ROWS * 2,
    tableSettings: 'min_parts_to_merge_at_once = 10',
  },
  {
    name: 'proto copy, 37k, compact inserts, copy in LZ4',
    format: 'native',
    views: 'lookup+proto-copy',
    rowsPerInsert: FLUSH_ROWS * 2,
    tableSettings: 'min_bytes_for_wide_part = 33554432',
    setup: ['ALTER TABLE {db}.tracehouse_trace_spans MODIFY COLUMN Span String CODEC(LZ4)'],
    bytes: true,
  },
  {
    name: 'proto copy, 37k, compact inserts, merges of 10+ parts',
    format: 'native',
    views: 'lookup+proto-copy',
    rowsPerInsert: FLUSH_ROWS * 2,
    tableSettings: 'min_bytes_for_wide_part = 33554432, min_parts_to_merge_at_once = 10',
  },
  { name: 'native, all views, 1M', format: 'native', views: 'all', rowsPerInsert: FLUSH_ROWS * 57 },
  {
    name: 'all, 18k, parallel_view_processing',
    format: 'native',
    views: 'all',
    rowsPerInsert: FLUSH_ROWS,
    insertSettings: 'parallel_view_processing = 1',
  },
  {
    name: 'all, 147k, parallel_view_processing',
    format: 'native',
    views: 'all',
    rowsPerInsert: BIG,
    insertSettings: 'parallel_view_processing = 1',
  },
  {
    name: 'all, 74k, parallel_view_processing',
    format: 'native',
    views: 'all',
    rowsPerInsert: FLUSH_ROWS * 4,
    insertSettings: 'parallel_view_processing = 1',
  },
  {
    name: 'all, 74k, max_insert_threads 2',
    format: 'native',
    views: 'all',
    rowsPerInsert: FLUSH_ROWS * 4,
    insertSettings: 'max_insert_threads = 2',
  },
  {
    name: 'all, 74k, compact parts',
    format: 'native',
    views: 'all',
    rowsPerInsert: FLUSH_ROWS * 4,
    tableSettings: 'min_bytes_for_wide_part = 1073741824',
  },
  {
    name: 'all, 18k, max_insert_threads 2',
    format: 'native',
    views: 'all',
    rowsPerInsert: FLUSH_ROWS,
    insertSettings: 'max_insert_threads = 2',
  },
  {
    name: 'all, 18k, max_threads 1',
    format: 'native',
    views: 'all',
    rowsPerInsert: FLUSH_ROWS,
    insertSettings: 'max_threads = 1',
  },
  {
    name: 'all, 147k, min_insert_block_size_rows 65536',
    format: 'native',
    views: 'all',
    rowsPerInsert: BIG,
    insertSettings: 'min_insert_block_size_rows = 65536, min_insert_block_size_bytes = 0',
  },
  {
    name: 'all, 18k, compact parts',
    format: 'native',
    views: 'all',
    rowsPerInsert: FLUSH_ROWS,
    tableSettings: 'min_bytes_for_wide_part = 1073741824',
  },
  {
    name: 'all, 18k, skip indexes on insert',
    format: 'native',
    views: 'all',
    rowsPerInsert: FLUSH_ROWS,
    insertSettings: 'materialize_skip_indexes_on_insert = 1',
  },
  {
    name: 'all, 18k, optimize_on_insert 0',
    format: 'native',
    views: 'all',
    rowsPerInsert: FLUSH_ROWS,
    insertSettings: 'optimize_on_insert = 0',
  },
  {
    name: 'all, 147k, 2 files, max_insert_threads 2',
    format: 'native',
    views: 'all',
    rowsPerInsert: BIG,
    filesPerInsert: 2,
    insertSettings: 'max_insert_threads = 2, max_threads = 2',
  },
  {
    name: 'all, 147k, 2 files, max_insert_threads 2, parallel views',
    format: 'native',
    views: 'all',
    rowsPerInsert: BIG,
    filesPerInsert: 2,
    insertSettings: 'max_insert_threads = 2, max_threads = 2, parallel_view_processing = 1',
  },
  {
    name: 'all, 147k, 1 file, max_insert_threads 2, parallel views',
    format: 'native',
    views: 'all',
    rowsPerInsert: BIG,
    insertSettings: 'max_insert_threads = 2, max_threads = 2, parallel_view_processing = 1',
  },
  // The JSON copy's SELECT: the schema's against plain concatenation where no escaping is needed
  // (bench/RESULTS.md, "Tried: the JSON copy's formatting without toJSONString").
  ...(['toJSONString', 'plain when clean'] as const).flatMap((spansSelect): EngineInsertCase[] => [
    {
      name: `spans view ${spansSelect}, 147k`,
      format: 'native',
      views: 'spans',
      rowsPerInsert: BIG,
      spansSelect,
    },
    {
      name: `all views ${spansSelect}, 147k`,
      format: 'native',
      views: 'all',
      rowsPerInsert: BIG,
      spansSelect,
    },
    {
      name: `all views ${spansSelect}, 37k`,
      format: 'native',
      views: 'all',
      rowsPerInsert: FLUSH_ROWS * 2,
      spansSelect,
    },
  ]),
];
