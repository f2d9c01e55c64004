import {
  COLLECTOR_TRACE_COLUMNS,
  TRACE_ID_TS_TABLE,
  TRACE_ID_TS_TTL_FIELD,
  TRACE_ID_TS_VIEW,
  TRACES_TABLE,
  TRACES_TTL_FIELD,
} from './collector-traces-schema.js';
import { retentionSql } from './apply-retention.js';
import { MIGRATIONS } from './migrations.js';
import { createMigrationsTableSql, recordVersionsSql } from './migrations-table.js';
import { DEFAULT_RETENTION_SECONDS, checkRetention } from './retention-ttl.js';
import { qualifiedName, quoteString } from './sql-quote.js';
import {
  SERVICE_GRAPH_EDGES_SHARDING_KEY,
  SERVICE_GRAPH_EDGES_TABLE,
  SERVICE_GRAPH_EDGES_TTL_FIELD,
} from './service-graph-edges-schema.js';
import { TRACE_SPANS_TABLE, TRACE_SPANS_TTL_FIELD, TRACE_SPANS_VIEW } from './trace-spans-schema.js';
import { createTraceCopyChangesTableSql } from './trace-copy-changes.js';
import { TRACEHOUSE_TRACE_COLUMNS } from './tracehouse-trace-columns.js';
import type { TracesDdlTarget } from './traces-ddl.js';
import {
  createDatabaseSql,
  createServiceGraphEdgesTableSql,
  createTraceIdTsTableSql,
  createTraceIdTsViewSql,
  createTraceSpansTableSql,
  createTracesTableSql,
  onCluster,
} from './traces-ddl.js';

/**
 * The same schema for a ClickHouse cluster (`tracehouse schema --cluster NAME`): on every node,
 * replicated `…_local` tables hold one shard; `Distributed` tables under the standalone names
 * route by `cityHash64(TraceId)`, so a whole trace lives on one shard and its id → time-range row
 * (written by the view on that shard, from that shard's inserts) and its rows of the trace-id-ordered
 * copy (inserted by the store through their Distributed table, same key) sit beside it; service graph
 * edges, which belong to no trace, are spread at random. Readers and writers use `otel_traces`,
 * `otel_traces_trace_id_ts`, `tracehouse_trace_spans` and `tracehouse_service_graph_edges`
 * exactly as on a single server.
 *
 * The statements also record the latest schema version, so Tracehouse started against the
 * cluster finds the schema current and runs no standalone migration there. All are safe to run
 * again: on a cluster made by an older version, running them again is the upgrade (it must come
 * before the new version starts: its standalone migrations would change one node only).
 */
export interface ClusterSchemaOptions {
  readonly cluster: string;
  readonly database: string;
  /** Retention in whole seconds; default 7 days; 0 = no TTL. */
  readonly retention?: number;
  /** Text indexes need ClickHouse ≥ 26.2 on every node; bloom filters (the default) work on all. */
  readonly textIndexes?: boolean;
}

export const LOCAL_SUFFIX = '_local';

/** Replica path per shard; `{shard}` and `{replica}` are each node's macros. */
const REPLICA_ARGS = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";

export function clusterSchemaStatements(options: ClusterSchemaOptions): string[] {
  const { cluster, database } = options;
  const target: TracesDdlTarget = {
    database,
    cluster,
    retentionSeconds: checkRetention(options.retention ?? DEFAULT_RETENTION_SECONDS),
    textIndexes: options.textIndexes ?? false,
  };
  const tracesLocal = TRACES_TABLE + LOCAL_SUFFIX;
  const tsLocal = TRACE_ID_TS_TABLE + LOCAL_SUFFIX;
  const spansLocal = TRACE_SPANS_TABLE + LOCAL_SUFFIX;
  const edgesLocal = SERVICE_GRAPH_EDGES_TABLE + LOCAL_SUFFIX;
  return [
    createDatabaseSql(database, cluster),
    createTracesTableSql(
      target,
      tracesLocal,
      [...COLLECTOR_TRACE_COLUMNS, ...TRACEHOUSE_TRACE_COLUMNS],
      `ReplicatedMergeTree(${REPLICA_ARGS})`,
    ),
    distributedTableSql(cluster, database, TRACES_TABLE, tracesLocal),
    createTraceIdTsTableSql(target, tsLocal, `ReplicatedAggregatingMergeTree(${REPLICA_ARGS})`),
    distributedTableSql(cluster, database, TRACE_ID_TS_TABLE, tsLocal),
    createTraceIdTsViewSql(target, TRACE_ID_TS_VIEW, tsLocal, tracesLocal),
    createTraceSpansTableSql(target, spansLocal, `ReplicatedMergeTree(${REPLICA_ARGS})`),
    distributedTableSql(cluster, database, TRACE_SPANS_TABLE, spansLocal),
    // No view fills the copy: the store inserts its rows (layout 3) into the Distributed table,
    // which shards them by trace id as it does otel_traces'. Dropping the view of older versions
    // on every node makes running these statements again the upgrade of an existing cluster.
    `DROP VIEW IF EXISTS ${qualifiedName(database, TRACE_SPANS_VIEW)}${onCluster(cluster)}`,
    createServiceGraphEdgesTableSql(target, edgesLocal, `ReplicatedMergeTree(${REPLICA_ARGS})`),
    distributedTableSql(
      cluster,
      database,
      SERVICE_GRAPH_EDGES_TABLE,
      edgesLocal,
      SERVICE_GRAPH_EDGES_SHARDING_KEY,
    ),
    createTraceCopyChangesTableSql(database, cluster),
    createMigrationsTableSql(database, cluster),
    recordVersionsSql(database, MIGRATIONS),
  ];
}

function distributedTableSql(
  cluster: string,
  database: string,
  table: string,
  local: string,
  shardingKey = 'cityHash64(TraceId)',
): string {
  const args = [cluster, database, local].map(quoteString).join(', ');
  return (
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(database, table)}${onCluster(cluster)} ` +
    `AS ${qualifiedName(database, local)}\nENGINE = Distributed(${args}, ${shardingKey})`
  );
}

/** Changing a cluster's retention: the TTLs live on the `…_local` tables. */
export function clusterRetentionStatements(
  options: Pick<ClusterSchemaOptions, 'cluster' | 'database'> & { readonly retention: number },
): string[] {
  const { cluster, database, retention } = options;
  return [
    retentionSql(database, TRACES_TABLE + LOCAL_SUFFIX, TRACES_TTL_FIELD, retention, cluster),
    retentionSql(database, TRACE_ID_TS_TABLE + LOCAL_SUFFIX, TRACE_ID_TS_TTL_FIELD, retention, cluster),
    retentionSql(database, TRACE_SPANS_TABLE + LOCAL_SUFFIX, TRACE_SPANS_TTL_FIELD, retention, cluster),
    retentionSql(
      database,
      SERVICE_GRAPH_EDGES_TABLE + LOCAL_SUFFIX,
      SERVICE_GRAPH_EDGES_TTL_FIELD,
      retention,
      cluster,
    ),
  ];
}
