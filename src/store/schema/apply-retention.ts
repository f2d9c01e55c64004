import {
  TRACE_ID_TS_TABLE,
  TRACE_ID_TS_TTL_FIELD,
  TRACES_TABLE,
  TRACES_TTL_FIELD,
} from './collector-traces-schema.js';
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

/**
 * Makes a standalone database's TTLs match `retentionSeconds`, altering only the tables whose TTL
 * differs: MODIFY TTL recomputes TTL information of every part (`materialize_ttl_after_modify`),
 * which is worth doing when retention changes, not on every start. Returns the tables altered.
 * A cluster's tables are changed with `clusterRetentionStatements` instead.
 */
export async function applyRetention(
  run: SqlRunner,
  database: string,
  retentionSeconds: number,
): Promise<string[]> {
  const names = TTL_TABLES.map((t) => quoteString(t.table)).join(', ');
  const output = await run(
    `SELECT name, engine, engine_full FROM system.tables WHERE database = ${quoteString(database)} AND name IN (${names}) FORMAT JSONEachRow`,
  );
  const found = new Map<string, { engine: string; engine_full: string }>();
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    const row = JSON.parse(line) as { name: string; engine: string; engine_full: string };
    found.set(row.name, row);
  }

  const altered: string[] = [];
  for (const { table, field } of TTL_TABLES) {
    const row = found.get(table);
    if (row === undefined) {
      throw new Error(
        `cannot set retention: ${database}.${table} does not exist (apply the migrations first)`,
      );
    }
    if (!row.engine.endsWith('MergeTree')) {
      throw new Error(
        `cannot set retention on ${database}.${table}: it is a ${row.engine} table; on a cluster, ` +
          'change the TTL of the …_local tables (tracehouse schema --cluster)',
      );
    }
    if (ttlOf(row.engine_full) === ttlExpression(field, retentionSeconds)) continue;
    await run(retentionSql(database, table, field, retentionSeconds));
    altered.push(table);
  }
  return altered;
}
