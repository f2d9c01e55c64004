import {
  TRACE_ID_TS_TABLE,
  TRACE_ID_TS_TTL_FIELD,
  TRACES_TABLE,
  TRACES_TTL_FIELD,
} from './collector-traces-schema.js';
import type { DistributedTarget } from './distributed-target.js';
import { distributedTarget } from './distributed-target.js';
import { ttlExpression } from './retention-ttl.js';
import { SERVICE_GRAPH_EDGES_TABLE, SERVICE_GRAPH_EDGES_TTL_FIELD } from './service-graph-edges-schema.js';
import { TRACE_SPANS_TABLE, TRACE_SPANS_TTL_FIELD } from './trace-spans-schema.js';
import { onCluster } from './traces-ddl.js';
import { qualifiedName, quoteString } from './sql-quote.js';
import type { SqlRunner } from './sql-runner.js';

/** The tables that carry a TTL, and the expression each one's TTL is computed on. */
export const TTL_TABLES = [
  { table: TRACES_TABLE, field: TRACES_TTL_FIELD },
  { table: TRACE_ID_TS_TABLE, field: TRACE_ID_TS_TTL_FIELD },
  { table: TRACE_SPANS_TABLE, field: TRACE_SPANS_TTL_FIELD },
  { table: SERVICE_GRAPH_EDGES_TABLE, field: SERVICE_GRAPH_EDGES_TTL_FIELD },
] as const;

/** `ALTER TABLE … MODIFY TTL …`, or `REMOVE TTL` for retention 0. */
export function retentionSql(
  database: string,
  table: string,
  field: string,
  retentionSeconds: number,
  cluster?: string,
): string {
  const expression = ttlExpression(field, retentionSeconds);
  const action = expression === undefined ? 'REMOVE TTL' : `MODIFY TTL ${expression}`;
  return `ALTER TABLE ${qualifiedName(database, table)}${onCluster(cluster)} ${action}`;
}

/** The TTL clause as ClickHouse prints it in `system.tables.engine_full`, or undefined. */
export function ttlOf(engineFull: string): string | undefined {
  return / TTL (.+?)(?: SETTINGS |$)/.exec(engineFull)?.[1];
}

/** What applyRetention changed, and what it left to whoever runs the cluster's DDL. */
export interface RetentionResult {
  /** Tables whose TTL it altered. */
  readonly altered: string[];
  /**
   * On a cluster (`tracehouse schema --cluster`): `ALTER TABLE … ON CLUSTER … MODIFY TTL` (or
   * `REMOVE TTL`) for each `…_local` table whose TTL differs from the retention asked for; not run.
   */
  readonly pending: string[];
}

/**
 * Makes a database's TTLs match `retentionSeconds`, altering only the tables whose TTL differs:
 * MODIFY TTL recomputes TTL information of every part (`materialize_ttl_after_modify`), which is
 * worth doing when retention changes, not on every start.
 *
 * On a cluster the TTL tables are `Distributed` tables over `…_local` replicated ones, which hold
 * the TTLs. Those are compared, but a difference is returned as `pending` statements, not run: ON
 * CLUSTER DDL waits for every node (a node down stalls the start for `distributed_ddl_task_timeout`),
 * would be sent by every Tracehouse process for every tenant, and recomputes the TTL of every part
 * on every node — the cluster's schema is changed by its operator, as apply-migrations.ts's
 * ClusterSchemaBehindError says for the tables themselves.
 */
export async function applyRetention(
  run: SqlRunner,
  database: string,
  retentionSeconds: number,
): Promise<RetentionResult> {
  const found = await readTables(
    run,
    TTL_TABLES.map((t) => ({ database, table: t.table })),
  );
  const altered: string[] = [];
  const locals: (DistributedTarget & { field: string })[] = [];
  for (const { table, field } of TTL_TABLES) {
    const row = found.get(tableKey(database, table));
    if (row === undefined) {
      throw new Error(
        `cannot set retention: ${database}.${table} does not exist (apply the migrations first)`,
      );
    }
    if (row.engine === 'Distributed') {
      // One whose arguments are expressions was not made by `tracehouse schema --cluster`: left alone.
      const target = distributedTarget(row.engine_full);
      if (target !== undefined) locals.push({ ...target, field });
      continue;
    }
    if (!row.engine.endsWith('MergeTree')) {
      throw new Error(
        `cannot set retention on ${database}.${table}: it is a ${row.engine} table, ` +
          'neither a MergeTree nor a Distributed one',
      );
    }
    if (ttlOf(row.engine_full) === ttlExpression(field, retentionSeconds)) continue;
    await run(retentionSql(database, table, field, retentionSeconds));
    altered.push(table);
  }

  const pending: string[] = [];
  const localRows = locals.length === 0 ? new Map<string, TableRow>() : await readTables(run, locals);
  for (const local of locals) {
    const row = localRows.get(tableKey(local.database, local.table));
    // Not on this node (one that only routes, holding no shard): nothing here to compare with.
    if (row === undefined) continue;
    if (ttlOf(row.engine_full) === ttlExpression(local.field, retentionSeconds)) continue;
    pending.push(retentionSql(local.database, local.table, local.field, retentionSeconds, local.cluster));
  }
  return { altered, pending };
}

interface TableRow {
  database: string;
  name: string;
  engine: string;
  engine_full: string;
}

function tableKey(database: string, table: string): string {
  return JSON.stringify([database, table]);
}

/** The rows of system.tables for these tables, by tableKey; absent tables are left out. */
async function readTables(
  run: SqlRunner,
  tables: readonly { database: string; table: string }[],
): Promise<Map<string, TableRow>> {
  const list = tables.map((t) => `(${quoteString(t.database)}, ${quoteString(t.table)})`).join(', ');
  const output = await run(
    `SELECT database, name, engine, engine_full FROM system.tables WHERE (database, name) IN (${list}) FORMAT JSONEachRow`,
  );
  const found = new Map<string, TableRow>();
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as TableRow;
    found.set(tableKey(row.database, row.name), row);
  }
  return found;
}
