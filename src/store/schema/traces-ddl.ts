/**
 * The Tracehouse storage schema, per tenant database:
 *
 * - `otel_traces` — one row per span. First, column for column, the OpenTelemetry Collector
 *   contrib ClickHouse exporter's table (collector-traces-schema.ts): same names, order, types,
 *   codecs, skip indexes, `PARTITION BY toDate(Timestamp)`, primary and sort keys,
 *   `TTL toDateTime(Timestamp) + toInterval…(n)` and settings. So the collector can write into
 *   our tables, we can read tables it wrote, and Grafana's ClickHouse data source reads both.
 *   Then Tracehouse's own columns (tracehouse-trace-columns.ts): attribute types beside each
 *   string-valued attribute map, scope attributes, dropped counts, span and link flags, schema
 *   URLs — what a span needs to read back exactly as it was sent.
 * - `otel_traces_trace_id_ts` + `otel_traces_trace_id_ts_mv` — the exporter's trace id → time
 *   range lookup (AggregatingMergeTree keeping min(Start)/max(End) per trace id, fed by the
 *   view), which turns trace-by-id into a narrow time-range scan of `otel_traces`.
 * - `tracehouse_trace_spans` + `tracehouse_trace_spans_mv` — each span again as one JSON row,
 *   ordered by trace id, which makes trace by id one granule of one column (trace-spans-schema.ts).
 * - `tracehouse_service_graph_edges` — the service graph paired at ingest, one row per request
 *   (service-graph-edges-schema.ts).
 * - `tracehouse_schema_migrations` — the versions applied (apply-migrations.ts).
 *
 * Standalone databases get these through the migrations (migrations.ts); a ClickHouse cluster
 * gets the same tables as `…_local` replicated tables behind `Distributed` ones (cluster-ddl.ts).
 * This module only renders statements; every name goes through quoteIdentifier.
 */
import {
  TABLE_SETTINGS,
  TRACE_ID_TS_COLUMNS,
  TRACE_ID_TS_ORDER_BY,
  TRACE_ID_TS_PARTITION_BY,
  TRACE_ID_TS_TTL_FIELD,
  TRACE_ID_TS_VIEW_GROUP_BY,
  TRACE_ID_TS_VIEW_SELECT,
  TRACE_ID_TS_VIEW_WHERE,
  TRACES_ORDER_BY,
  TRACES_PARTITION_BY,
  TRACES_PRIMARY_KEY,
  TRACES_TTL_FIELD,
  collectorTraceIndexes,
} from './collector-traces-schema.js';
import { ttlExpression } from './retention-ttl.js';
import {
  TRACE_SPANS_COLUMNS,
  TRACE_SPANS_ORDER_BY,
  TRACE_SPANS_PARTITION_BY,
  TRACE_SPANS_SETTINGS,
  TRACE_SPANS_TTL_FIELD,
  TRACE_SPANS_VIEW_SELECT,
  TRACE_SPANS_VIEW_WHERE,
} from './trace-spans-schema.js';
import {
  SERVICE_GRAPH_EDGES_COLUMNS,
  SERVICE_GRAPH_EDGES_ORDER_BY,
  SERVICE_GRAPH_EDGES_PARTITION_BY,
  SERVICE_GRAPH_EDGES_SETTINGS,
  SERVICE_GRAPH_EDGES_TTL_FIELD,
} from './service-graph-edges-schema.js';
import { qualifiedName, quoteIdentifier } from './sql-quote.js';
import type { ColumnDef } from './table-parts.js';
import { renderColumn, renderIndex } from './table-parts.js';

/** Where and how the tables are created. */
export interface TracesDdlTarget {
  readonly database: string;
  /** `ON CLUSTER` name; omitted for a single server or the embedded engine. */
  readonly cluster?: string;
  /** Retention in seconds; 0 = no TTL. */
  readonly retentionSeconds: number;
  /** `text` indexes (ClickHouse ≥ 26.2) instead of bloom filters, as the exporter chooses. */
  readonly textIndexes: boolean;
}

export function onCluster(cluster: string | undefined): string {
  return cluster === undefined ? '' : ` ON CLUSTER ${quoteIdentifier(cluster)}`;
}

function ttlClause(field: string, retentionSeconds: number): string {
  const expression = ttlExpression(field, retentionSeconds);
  return expression === undefined ? '' : `\nTTL ${expression}`;
}

function body(columns: readonly ColumnDef[], indexes: readonly string[] = []): string {
  return `(\n    ${[...columns.map(renderColumn), ...indexes].join(',\n    ')}\n)`;
}

export function createDatabaseSql(database: string, cluster?: string): string {
  return `CREATE DATABASE IF NOT EXISTS ${quoteIdentifier(database)}${onCluster(cluster)}`;
}

export function createTracesTableSql(
  target: TracesDdlTarget,
  table: string,
  columns: readonly ColumnDef[],
  engine = 'MergeTree()',
): string {
  const indexes = collectorTraceIndexes(target.textIndexes).map(renderIndex);
  return (
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(target.database, table)}${onCluster(target.cluster)} ` +
    `${body(columns, indexes)}\nENGINE = ${engine}\nPARTITION BY ${TRACES_PARTITION_BY}` +
    `\nPRIMARY KEY ${TRACES_PRIMARY_KEY}\nORDER BY ${TRACES_ORDER_BY}` +
    `${ttlClause(TRACES_TTL_FIELD, target.retentionSeconds)}\nSETTINGS ${TABLE_SETTINGS}`
  );
}

export function createTraceIdTsTableSql(
  target: TracesDdlTarget,
  table: string,
  engine = 'AggregatingMergeTree()',
): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(target.database, table)}${onCluster(target.cluster)} ` +
    `${body(TRACE_ID_TS_COLUMNS)}\nENGINE = ${engine}\nPARTITION BY ${TRACE_ID_TS_PARTITION_BY}` +
    `\nORDER BY ${TRACE_ID_TS_ORDER_BY}` +
    `${ttlClause(TRACE_ID_TS_TTL_FIELD, target.retentionSeconds)}\nSETTINGS ${TABLE_SETTINGS}`
  );
}

/** The view reads inserts into `sourceTable` and writes to `destinationTable`, in one database. */
export function createTraceIdTsViewSql(
  target: TracesDdlTarget,
  view: string,
  destinationTable: string,
  sourceTable: string,
): string {
  const { database } = target;
  return (
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${qualifiedName(database, view)}${onCluster(target.cluster)}` +
    `\nTO ${qualifiedName(database, destinationTable)}\nAS SELECT ${TRACE_ID_TS_VIEW_SELECT}` +
    `\nFROM ${qualifiedName(database, sourceTable)}\nWHERE ${TRACE_ID_TS_VIEW_WHERE}` +
    `\nGROUP BY ${TRACE_ID_TS_VIEW_GROUP_BY}`
  );
}

/** `extraSettings`: e.g. the standalone tables' deduplication window, set at creation. */
export function createTraceSpansTableSql(
  target: TracesDdlTarget,
  table: string,
  engine = 'MergeTree()',
  extraSettings = '',
): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(target.database, table)}${onCluster(target.cluster)} ` +
    `${body(TRACE_SPANS_COLUMNS)}\nENGINE = ${engine}\nPARTITION BY ${TRACE_SPANS_PARTITION_BY}` +
    `\nORDER BY ${TRACE_SPANS_ORDER_BY}` +
    `${ttlClause(TRACE_SPANS_TTL_FIELD, target.retentionSeconds)}\nSETTINGS ${TRACE_SPANS_SETTINGS}${extraSettings}`
  );
}

/**
 * `select`: the layout's SELECT (trace-spans-schema.ts); layout 2 (migration 6) unless told.
 * Since migration 7 no view writes the copy: this is for migrations 4 and 6 (and benchmarks).
 */
export function createTraceSpansViewSql(
  target: TracesDdlTarget,
  view: string,
  destinationTable: string,
  sourceTable: string,
  select = TRACE_SPANS_VIEW_SELECT,
): string {
  const { database } = target;
  return (
    `CREATE MATERIALIZED VIEW IF NOT EXISTS ${qualifiedName(database, view)}${onCluster(target.cluster)}` +
    `\nTO ${qualifiedName(database, destinationTable)}\nAS SELECT ${select}` +
    `\nFROM ${qualifiedName(database, sourceTable)}\nWHERE ${TRACE_SPANS_VIEW_WHERE}`
  );
}

export function createServiceGraphEdgesTableSql(
  target: TracesDdlTarget,
  table: string,
  engine = 'MergeTree()',
): string {
  return (
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(target.database, table)}${onCluster(target.cluster)} ` +
    `${body(SERVICE_GRAPH_EDGES_COLUMNS)}\nENGINE = ${engine}\nPARTITION BY ${SERVICE_GRAPH_EDGES_PARTITION_BY}` +
    `\nORDER BY ${SERVICE_GRAPH_EDGES_ORDER_BY}` +
    `${ttlClause(SERVICE_GRAPH_EDGES_TTL_FIELD, target.retentionSeconds)}\nSETTINGS ${SERVICE_GRAPH_EDGES_SETTINGS}`
  );
}

/** Appends columns (after the existing ones) unless present: safe to repeat, and cheap — metadata only. */
export function addColumnsSql(
  database: string,
  table: string,
  columns: readonly ColumnDef[],
  cluster?: string,
): string {
  const actions = columns.map((column) => `ADD COLUMN IF NOT EXISTS ${renderColumn(column)}`);
  return `ALTER TABLE ${qualifiedName(database, table)}${onCluster(cluster)}\n    ${actions.join(',\n    ')}`;
}
