/**
 * Runs one SQL statement and resolves to its output text (empty for DDL). Injected so the same
 * schema code drives the embedded engine (chdb `Session.queryAsync`) and a ClickHouse server
 * (`@clickhouse/client`). Statements that return rows name their format (`FORMAT TSV`) themselves.
 */
export type SqlRunner = (sql: string) => Promise<string>;
