/** The storage schema: tenant databases, migrations, retention and cluster DDL. */
export { ATTRIBUTE_TYPE_CODES, ATTRIBUTE_TYPE_ENUM, needsAnyValueEncoding } from './attribute-types.js';
export type { MigrationResult } from './apply-migrations.js';
export { SchemaTooNewError, applyMigrations, readSchemaVersion } from './apply-migrations.js';
export { applyRetention } from './apply-retention.js';
export type { ClusterSchemaOptions } from './cluster-ddl.js';
export { clusterRetentionStatements, clusterSchemaStatements } from './cluster-ddl.js';
export {
  COLLECTOR_TRACE_COLUMNS,
  TRACE_ID_TS_TABLE,
  TRACE_ID_TS_VIEW,
  TRACES_TABLE,
} from './collector-traces-schema.js';
export type { Migration } from './migrations.js';
export { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations.js';
export { MIGRATIONS_TABLE } from './migrations-table.js';
export { DEFAULT_RETENTION_SECONDS } from './retention-ttl.js';
export { SERVICE_GRAPH_EDGES_TABLE } from './service-graph-edges-schema.js';
export { TRACE_SPANS_TABLE, TRACE_SPANS_VIEW } from './trace-spans-schema.js';
export type { SchemaOptions } from './schema-options.js';
export { quoteIdentifier, quoteString } from './sql-quote.js';
export type { SqlRunner } from './sql-runner.js';
export { TRACEHOUSE_TRACE_COLUMNS } from './tracehouse-trace-columns.js';
export {
  DEFAULT_TENANT,
  InvalidTenantError,
  MAX_TENANT_LENGTH,
  tenantDatabaseName,
  validateTenant,
} from './tenant-database.js';
