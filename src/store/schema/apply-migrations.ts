import type { Migration } from './migrations.js';
import { MIGRATIONS } from './migrations.js';
import {
  createMigrationsTableSql,
  currentVersionSql,
  migrationsTableExistsSql,
  recordVersionsSql,
} from './migrations-table.js';
import type { SchemaOptions } from './schema-options.js';
import { resolveSchemaOptions } from './schema-options.js';
import { createDatabaseSql } from './traces-ddl.js';
import type { SqlRunner } from './sql-runner.js';
import { TRACES_TABLE } from './collector-traces-schema.js';
import { distributedTarget } from './distributed-target.js';
import { quoteString } from './sql-quote.js';

/** The database was migrated by a newer Tracehouse: we refuse to touch it rather than guess. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';

  constructor(
    readonly database: string,
    readonly databaseVersion: number,
    readonly supportedVersion: number,
  ) {
    super(
      `database ${database} has schema version ${databaseVersion}, but this Tracehouse knows ` +
        `versions up to ${supportedVersion}: upgrade Tracehouse (nothing was changed)`,
    );
  }
}

export interface MigrationResult {
  readonly database: string;
  readonly fromVersion: number;
  readonly toVersion: number;
  /** Versions applied by this call, in order; empty when the database was already current. */
  readonly applied: readonly number[];
}

/**
 * The database is a cluster's (`tracehouse schema --cluster`: `otel_traces` is a `Distributed`
 * table) and behind this Tracehouse. Its upgrade is the cluster's DDL, run on every node; the
 * standalone migrations would change the one node this process talks to, and on that node treat
 * the `Distributed` tables as the data (a view of older versions left on the other nodes would
 * store each span's copy twice).
 */
export class ClusterSchemaBehindError extends Error {
  override readonly name = 'ClusterSchemaBehindError';

  constructor(
    readonly database: string,
    readonly cluster: string,
    readonly databaseVersion: number,
    readonly latestVersion: number,
  ) {
    super(
      `database ${database} is on ClickHouse cluster ${cluster} (otel_traces is a Distributed table) ` +
        `at schema version ${databaseVersion}, and this Tracehouse needs version ${latestVersion}: ` +
        `run the statements of 'tracehouse schema --cluster ${cluster}' (with --tenant for a ` +
        `tenant's database) on the cluster first, as deploy/clickhouse-cluster/README.md says ` +
        `(nothing was changed)`,
    );
  }
}

/** The version recorded in a database; 0 when it has no migrations table (new, or the collector's). */
export async function readSchemaVersion(run: SqlRunner, database: string): Promise<number> {
  const exists = Number((await run(migrationsTableExistsSql(database))).trim()) > 0;
  return exists ? Number((await run(currentVersionSql(database))).trim()) : 0;
}

/**
 * Brings `database` to the latest schema: creates it if needed, then runs each pending migration
 * and records it. Running it again is a no-op; a database newer than the last migration is a
 * {@link SchemaTooNewError}, thrown before any statement that could change something is sent.
 */
export async function applyMigrations(
  run: SqlRunner,
  database: string,
  options: SchemaOptions = {},
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<MigrationResult> {
  const latest = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version;
  const fromVersion = await readSchemaVersion(run, database);
  if (fromVersion > latest) throw new SchemaTooNewError(database, fromVersion, latest);

  const pending = migrations.filter((m) => m.version > fromVersion);
  if (pending.length === 0) return { database, fromVersion, toVersion: fromVersion, applied: [] };
  const cluster = await distributedTracesCluster(run, database);
  if (cluster !== undefined) throw new ClusterSchemaBehindError(database, cluster, fromVersion, latest);

  const resolved = await resolveSchemaOptions(run, options);
  await run(createDatabaseSql(database));
  await run(createMigrationsTableSql(database));
  for (const migration of pending) {
    for (const statement of migration.statements(database, resolved)) await run(statement);
    await run(recordVersionsSql(database, [migration]));
  }
  return { database, fromVersion, toVersion: latest, applied: pending.map((m) => m.version) };
}

/** The cluster `otel_traces` distributes over, when it is a `Distributed` table. */
async function distributedTracesCluster(run: SqlRunner, database: string): Promise<string | undefined> {
  const engineFull = (
    await run(
      `SELECT engine_full FROM system.tables WHERE database = ${quoteString(database)} ` +
        `AND name = ${quoteString(TRACES_TABLE)} AND engine = 'Distributed' FORMAT TSVRaw`,
    )
  ).trim();
  if (engineFull === '') return undefined;
  const cluster = distributedTarget(engineFull)?.cluster;
  return cluster === undefined || cluster === '' ? 'NAME' : cluster;
}
