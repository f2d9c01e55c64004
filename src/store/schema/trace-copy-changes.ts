import { qualifiedName } from './sql-quote.js';
import type { SqlRunner } from './sql-runner.js';
import { onCluster } from './traces-ddl.js';

/**
 * `tracehouse_trace_copy_changes`: from when on the trace-id-ordered copy holds every span stored
 * into the tenant's database (`Enabled`) or not, one row per change. Trace by id reads a trace
 * from the copy only when the copy holds all of it; spans stored without their copy rows — by a
 * process started with `--trace-copy off`, or from log records such a process wrote and another
 * flushed — leave gaps, which the readers must know of.
 */
export const TRACE_COPY_CHANGES_TABLE = 'tracehouse_trace_copy_changes';

/**
 * How long after the copy was complete again its traces are still read from `otel_traces`, by
 * span start time: spans stored before the change may belong to traces whose later spans come
 * after it (a trace's length, the senders' batching and retries, clocks that disagree).
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

/** One row of the table: Unix seconds (millisecond precision), and whether the copy is complete from then on. */
export interface CopyChange {
  at: number;
  enabled: boolean;
}

/**
 * Which traces trace by id may read from the copy: those none of whose spans in `otel_traces`
 * starts before this time (Unix seconds). 0: every trace (the copy never had a gap that is still
 * stored); Infinity: none (the copy is off, or spans are being stored without it).
 */
export type CopyTrustedFrom = number;

/** The changes recorded in `database`, oldest first. */
export async function readTraceCopyChanges(run: SqlRunner, database: string): Promise<CopyChange[]> {
  const table = qualifiedName(database, TRACE_COPY_CHANGES_TABLE);
  return (await run(`SELECT toUnixTimestamp64Milli(At), Enabled FROM ${table} ORDER BY At FORMAT TSV`))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [ms, on] = line.split('\t');
      return { at: Number(ms) / 1000, enabled: on === 'true' };
    });
}

async function recordChange(
  run: SqlRunner,
  database: string,
  changes: CopyChange[],
  change: CopyChange,
): Promise<void> {
  const ms = Math.round(change.at * 1000);
  await run(
    `INSERT INTO ${qualifiedName(database, TRACE_COPY_CHANGES_TABLE)} (At, Enabled) ` +
      `SELECT fromUnixTimestamp64Milli(toInt64(${ms}), 'UTC'), ${change.enabled ? 'true' : 'false'}`,
  );
  changes.push({ at: ms / 1000, enabled: change.enabled });
}

/**
 * At a process's first use of the database: one that writes the copy records that the copy is
 * complete from now on when the last change says it was not; one that does not write it records
 * that (also when nothing was recorded: a database without changes has always had the copy).
 * Returns the changes, this one included.
 */
export async function recordTraceCopyMode(
  run: SqlRunner,
  database: string,
  enabled: boolean,
  nowSeconds: number,
): Promise<CopyChange[]> {
  const changes = await readTraceCopyChanges(run, database);
  if ((changes.at(-1)?.enabled ?? true) !== enabled)
    await recordChange(run, database, changes, { at: nowSeconds, enabled });
  return changes;
}

/**
 * Before spans go into `otel_traces` without their copy rows. A process that does not write the
 * copy makes sure the last change says so (another process may have recorded the copy complete
 * since). One that writes it (flushing log records a process without the copy wrote) records a
 * gap ending now, unless the copy was recorded complete less than a minute ago (its gap covers
 * these spans) or recorded incomplete. Returns the changes.
 */
export async function recordSpansWithoutCopy(
  run: SqlRunner,
  database: string,
  writerEnabled: boolean,
  nowSeconds: number,
): Promise<CopyChange[]> {
  const changes = await readTraceCopyChanges(run, database);
  const last = changes.at(-1);
  if (!writerEnabled) {
    if (last?.enabled !== false)
      await recordChange(run, database, changes, { at: nowSeconds, enabled: false });
  } else if (last === undefined || (last.enabled && last.at < nowSeconds - 60)) {
    // (After a change to "not complete", another process writes without the copy: nothing to add.)
    await recordChange(run, database, changes, { at: nowSeconds, enabled: false });
    await recordChange(run, database, changes, { at: nowSeconds + 0.001, enabled: true });
  }
  return changes;
}

/**
 * CopyTrustedFrom after `changes` (oldest first), for a process that writes the copy or not.
 * A gap older than the retention (and a day for parts the TTL has not dropped yet) is gone with
 * its spans.
 */
export function copyTrustedFrom(
  changes: readonly CopyChange[],
  enabled: boolean,
  nowSeconds: number,
  retentionSeconds: number,
): CopyTrustedFrom {
  if (!enabled) return Infinity;
  const last = changes.at(-1);
  if (last === undefined) return 0;
  if (!last.enabled) return Infinity;
  let lastOff = -1;
  for (let i = 0; i < changes.length; i++) if (!changes[i].enabled) lastOff = i;
  if (lastOff === -1) return 0;
  const from = Math.ceil(changes[lastOff + 1].at) + COPY_TRUST_DELAY_SECONDS;
  if (retentionSeconds > 0 && nowSeconds > from + retentionSeconds + 86_400) return 0;
  return from;
}
