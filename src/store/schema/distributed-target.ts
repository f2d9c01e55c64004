/** Where a `Distributed` table sends its rows. */
export interface DistributedTarget {
  cluster: string;
  database: string;
  table: string;
}

/** `Distributed(` then three quoted literals, each with backslash escapes inside its quotes. */
const DISTRIBUTED_ARGS =
  /^Distributed\(\s*'((?:[^'\\]|\\.)*)'\s*,\s*'((?:[^'\\]|\\.)*)'\s*,\s*'((?:[^'\\]|\\.)*)'/;

/**
 * The cluster, database and table of `Distributed('cluster', 'database', 'table'[, key])` in
 * `system.tables.engine_full`, where ClickHouse prints the three as quoted literals even when
 * they were written as bare names; undefined for arguments it cannot read (an expression).
 */
export function distributedTarget(engineFull: string): DistributedTarget | undefined {
  const match = DISTRIBUTED_ARGS.exec(engineFull);
  if (match === null) return undefined;
  const [cluster, database, table] = match.slice(1).map((text) => text.replace(/\\(.)/g, '$1'));
  return { cluster, database, table };
}
