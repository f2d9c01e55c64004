import { onCluster } from './traces-ddl.js';
import { qualifiedName, quoteString } from './sql-quote.js';

/** One table per tenant database: which schema versions have been applied there. */
export const MIGRATIONS_TABLE = 'tracehouse_schema_migrations';

const COLUMNS =
  "(\n    `version` UInt32,\n    `description` String,\n    `applied_at` DateTime64(3, 'UTC') DEFAULT now64(3, 'UTC')\n)";

/**
 * On a cluster the table is replicated to every node under one path (no `{shard}`), so a
 * version recorded anywhere is seen everywhere; `{replica}` must be unique per node.
 */
export function createMigrationsTableSql(database: string, cluster?: string): string {
  const engine =
    cluster === undefined
      ? 'MergeTree()'
      : "ReplicatedMergeTree('/clickhouse/tables/{database}/{table}', '{replica}')";
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(database, MIGRATIONS_TABLE)}${onCluster(cluster)} ${COLUMNS}\nENGINE = ${engine}\nORDER BY version`;
}

export function recordVersionsSql(
  database: string,
  versions: readonly { readonly version: number; readonly description: string }[],
): string {
  const rows = versions.map((v) => `(${v.version}, ${quoteString(v.description)})`).join(', ');
  return `INSERT INTO ${qualifiedName(database, MIGRATIONS_TABLE)} (version, description) VALUES ${rows}`;
}

export function migrationsTableExistsSql(database: string): string {
  return `SELECT count() FROM system.tables WHERE database = ${quoteString(database)} AND name = ${quoteString(MIGRATIONS_TABLE)} FORMAT TSV`;
}

/** max() over an empty table is 0: "nothing applied". Duplicate rows (two starters racing) are harmless. */
export function currentVersionSql(database: string): string {
  return `SELECT max(version) FROM ${qualifiedName(database, MIGRATIONS_TABLE)} FORMAT TSV`;
}
