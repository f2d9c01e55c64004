import {
  COLLECTOR_TRACE_COLUMNS,
  TRACE_ID_TS_TABLE,
  TRACE_ID_TS_VIEW,
  TRACES_TABLE,
} from './collector-traces-schema.js';
import type { ResolvedSchemaOptions } from './schema-options.js';
import { qualifiedName, quoteIdentifier } from './sql-quote.js';
import { TRACEHOUSE_TRACE_COLUMNS } from './tracehouse-trace-columns.js';
import { createTraceCopyChangesTableSql } from './trace-copy-changes.js';
import { SERVICE_GRAPH_EDGES_TABLE } from './service-graph-edges-schema.js';
import { TRACE_SPANS_TABLE, TRACE_SPANS_VIEW, TRACE_SPANS_VIEW_SELECT_1 } from './trace-spans-schema.js';
import type { TracesDdlTarget } from './traces-ddl.js';
import {
  addColumnsSql,
  createServiceGraphEdgesTableSql,
  createTraceSpansTableSql,
  createTraceSpansViewSql,
  createTraceIdTsTableSql,
  createTraceIdTsViewSql,
  createTracesTableSql,
} from './traces-ddl.js';

/**
 * The schema's history, oldest first. A migration never changes once released: a new schema is a
 * new entry. Every statement must be safe to run again (`IF NOT EXISTS`), because ClickHouse has
 * no transactional DDL: a start interrupted mid-migration re-runs the whole migration next time,
 * and the version is recorded only after all its statements succeeded.
 */
export interface Migration {
  readonly version: number;
  readonly description: string;
  statements(database: string, options: ResolvedSchemaOptions): readonly string[];
}

function standalone(database: string, options: ResolvedSchemaOptions): TracesDdlTarget {
  return { database, retentionSeconds: options.retention, textIndexes: options.textIndexes };
}

/**
 * Replicated tables deduplicate by default; plain MergeTree only within this window of blocks.
 * Tracehouse's own inserts no longer use it (insert_deduplicate = 0: an interrupted flush is
 * replayed by comparison, span-rows-replay.ts); an insert that does not opt out costs a
 * deduplication-log entry, nothing more, so the setting is left as migrations 3 and 4 made it.
 */
const DEDUPLICATION_WINDOW = 'non_replicated_deduplication_window = 10000';

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: "OpenTelemetry Collector ClickHouse exporter's traces table and trace-id lookup",
    // On a database the collector already filled, all three are no-ops: its tables are kept.
    statements: (database, options) => {
      const target = standalone(database, options);
      return [
        createTracesTableSql(target, TRACES_TABLE, COLLECTOR_TRACE_COLUMNS),
        createTraceIdTsTableSql(target, TRACE_ID_TS_TABLE),
        createTraceIdTsViewSql(target, TRACE_ID_TS_VIEW, TRACE_ID_TS_TABLE, TRACES_TABLE),
      ];
    },
  },
  {
    version: 2,
    description: 'Tracehouse columns: attribute types, scope attributes, dropped counts, flags, schema URLs',
    statements: (database) => [addColumnsSql(database, TRACES_TABLE, TRACEHOUSE_TRACE_COLUMNS)],
  },
  {
    version: 3,
    description:
      'Insert deduplication on the standalone tables, so a replayed write-ahead-log batch is stored once',
    statements: (database) =>
      [TRACES_TABLE, TRACE_ID_TS_TABLE].map(
        (table) =>
          `ALTER TABLE ${quoteIdentifier(database)}.${quoteIdentifier(table)} MODIFY SETTING ${DEDUPLICATION_WINDOW}`,
      ),
  },
  {
    version: 4,
    description: 'Trace spans table: every span as one row ordered by trace id, for fast trace by id',
    // Spans stored before this migration stay readable through otel_traces (TraceStore falls back).
    statements: (database, options) => {
      const target = standalone(database, options);
      return [
        createTraceSpansTableSql(target, TRACE_SPANS_TABLE, 'MergeTree()', `, ${DEDUPLICATION_WINDOW}`),
        createTraceSpansViewSql(
          target,
          TRACE_SPANS_VIEW,
          TRACE_SPANS_TABLE,
          TRACES_TABLE,
          TRACE_SPANS_VIEW_SELECT_1,
        ),
      ];
    },
  },
  {
    version: 5,
    description: 'Service graph edges, paired at ingest: one row per request, for a fast service graph',
    // Empty after the upgrade: the service graph falls back to joining otel_traces where it has no rows.
    // No deduplication window: edge rows are never replayed, and every insert is new.
    statements: (database, options) => [
      createServiceGraphEdgesTableSql(standalone(database, options), SERVICE_GRAPH_EDGES_TABLE),
    ],
  },
  {
    version: 6,
    description: 'Trace spans layout 2: half the JSON of layout 1 to parse when reading a trace',
    // Rows already written keep layout 1, which the reader still reads. Migrations run before this
    // process inserts into the tenant; spans another process inserts between the two statements
    // reach otel_traces but not this table, so trace by id would miss them (a shared server only).
    statements: (database, options) => [
      `DROP VIEW IF EXISTS ${qualifiedName(database, TRACE_SPANS_VIEW)}`,
      createTraceSpansViewSql(
        standalone(database, options),
        TRACE_SPANS_VIEW,
        TRACE_SPANS_TABLE,
        TRACES_TABLE,
      ),
    ],
  },
  {
    version: 7,
    description: 'Trace spans layout 3: the store writes the copy itself as OTLP protobuf; the view goes',
    // The table stays, and its JSON rows stay readable until the TTL drops them. From here on the
    // store exporter inserts the copy's rows (layout 3) beside the otel_traces rows, so ClickHouse
    // no longer formats JSON for every span. Spans inserted into otel_traces by anything else (an
    // older Tracehouse on a shared server, the collector's exporter) get no copy: trace by id reads
    // a trace without one from otel_traces.
    statements: (database) => [`DROP VIEW IF EXISTS ${qualifiedName(database, TRACE_SPANS_VIEW)}`],
  },
  {
    version: 8,
    description: 'When the store started or stopped writing the trace-id-ordered copy (--trace-copy)',
    // Empty until the copy is turned off: a database without a change has always had the copy.
    statements: (database) => [createTraceCopyChangesTableSql(database)],
  },
  {
    version: 9,
    description:
      "The exporter's key=value item columns, on a traces table an older exporter made without them",
    // The item columns are ALIASes, computed on read: nothing is stored. TraceQL's string equality
    // names them (the form the exporter's text indexes answer), so on a table an older exporter
    // made every `{span.k = "v"}` failed with an unknown identifier. A no-op where they exist.
    // Since this version migration 1 no longer makes `idx_lower_span_name` (a token bloom filter
    // on lower(SpanName), from ClickStack's schema, not the exporter's; no query of ours reads it).
    // Tables that have it keep it: it may be ClickStack's own, on a table ClickStack made, and it
    // costs next to nothing (bench/RESULTS.md, "The copy inserted first").
    statements: (database) => [
      addColumnsSql(
        database,
        TRACES_TABLE,
        COLLECTOR_TRACE_COLUMNS.filter((column) => column.alias !== undefined),
      ),
    ],
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
