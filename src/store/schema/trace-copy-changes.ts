import { qualifiedName } from './sql-quote.js';
import type { SqlRunner } from './sql-runner.js';
import { onCluster } from './traces-ddl.js';

/**
 * `tracehouse_trace_copy_changes`: when the store started or stopped writing the trace-id-ordered
 * copy (`--trace-copy`) into the tenant's database, one row per change. Trace by id reads a trace
 * from the copy only when the copy holds all of it; a trace whose spans arrived on both sides of a
 * change has some spans only in `otel_traces`, so the readers need to know when the copy had gaps.
 */
export const TRACE_COPY_CHANGES_TABLE = 'tracehouse_trace_copy_changes';

/**
 * How long after the copy was turned on again its rows are not trusted to be whole, by span start
 * time: spans of a trace arrive over its length plus the senders' batching and retries. A trace
 * with a span starting more than this after an earlier one was stored while the copy was off is
 * read from the copy alone, without that earlier span.
 */
export const COPY_TRUST_DELAY_SECONDS = 3600;

/**
 * Replicated to every node under one path, as the migrations table is: the changes are a
 * database's, not a shard's, and are read where the trace is read.
 */
export function createTraceCopyChangesTableSql(database: string, cluster?: string): string {
  const engine =
    cluster === undefined
      ? 'MergeTree()'
      : "ReplicatedMergeTree('/clickhouse/tables/{database}/{table}', '{replica}')";
  return (
    `CREATE TABLE IF NOT EXISTS ${qualifiedName(database, TRACE_COPY_CHANGES_TABLE)}${onCluster(cluster)} ` +
    "(\n    `At` DateTime64(3, 'UTC'),\n    `Enabled` Bool\n)\nENGINE = " +
    `${engine}\nORDER BY At`
  );
}

/**
 * Which copy rows trace by id may read, as a span start time in Unix seconds: a trace is read
 * from the copy when it has no copy row starting before it (else from `otel_traces`). 0: every
 * trace (the copy was never off); Infinity: none (the copy is off).
 */
export type CopyTrustedFrom = number;

/**
 * Records that this process writes the copy (`enabled`) or not, when that differs from the last
 * change recorded (a database without changes has always had the copy), and returns which copy
 * rows may be read from now on. `nowSeconds`: the change's time (Unix seconds).
 */
export async function recordTraceCopyMode(
  run: SqlRunner,
  database: string,
  enabled: boolean,
  nowSeconds: number,
): Promise<CopyTrustedFrom> {
  const table = qualifiedName(database, TRACE_COPY_CHANGES_TABLE);
  const changes = (
    await run(`SELECT toUnixTimestamp64Milli(At), Enabled FROM ${table} ORDER BY At FORMAT TSV`)
  )
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [ms, on] = line.split('\t');
      return { at: Number(ms) / 1000, enabled: on === 'true' };
    });
  if ((changes.at(-1)?.enabled ?? true) !== enabled) {
    const ms = Math.round(nowSeconds * 1000);
    await run(
      `INSERT INTO ${table} (At, Enabled) SELECT fromUnixTimestamp64Milli(toInt64(${ms}), 'UTC'), ${enabled ? 'true' : 'false'}`,
    );
    changes.push({ at: ms / 1000, enabled });
  }
  return copyTrustedFrom(changes, enabled);
}

/** CopyTrustedFrom after `changes` (oldest first), with the copy now on or off. */
export function copyTrustedFrom(
  changes: readonly { at: number; enabled: boolean }[],
  enabled: boolean,
): CopyTrustedFrom {
  if (!enabled) return Infinity;
  let lastOff = -1;
  for (let i = 0; i < changes.length; i++) if (!changes[i].enabled) lastOff = i;
  if (lastOff === -1) return 0;
  // The copy was turned on again by the change after it (the last change is "on").
  const on = changes[lastOff + 1];
  return on === undefined ? 0 : Math.ceil(on.at) + COPY_TRUST_DELAY_SECONDS;
}
