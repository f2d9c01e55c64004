import { randomUUID } from 'node:crypto';
import type { ClickHouseDriver } from './driver/clickhouse-driver.js';
import { SPAN_INSERT_SETTINGS_SQL } from './driver/clickhouse-driver.js';
import { SPAN_ROW_COLUMN_LIST, SPAN_ROW_STRUCTURE } from './rows/span-row-columns.js';
import {
  TRACE_ID_TS_TABLE,
  TRACE_ID_TS_VIEW_GROUP_BY,
  TRACE_ID_TS_VIEW_SELECT,
  TRACE_ID_TS_VIEW_WHERE,
  TRACES_TABLE,
} from './schema/collector-traces-schema.js';
import { quoteIdentifier } from './schema/sql-quote.js';
import {
  TRACE_SPANS_IDENTITY_SELECT,
  TRACE_SPANS_STRUCTURE,
  TRACE_SPANS_TABLE,
  TRACE_SPANS_VIEW_SELECT,
  TRACE_SPANS_VIEW_WHERE,
} from './schema/trace-spans-schema.js';

/** What a replay found missing, and so stored. */
export interface SpanRowsReplayed {
  /** Spans in the batch. */
  spans: number;
  /** Of those, spans not in `otel_traces` (inserted, and through the views everywhere else). */
  missingSpans: number;
  /** Rows of the batch `tracehouse_trace_spans` lacked (inserted). */
  missingTraceSpans: number;
}

/** What a replay is given. */
export interface SpanRowsReplay {
  /** Inserts the batch's `otel_traces` rows into the table (with column list) it is given. */
  load: (table: string) => Promise<void>;
  /**
   * Inserts the batch's rows of the copy (layout 3) into the table (with column list) it is
   * given; absent for a batch written before the copy's rows were made by the store (then they
   * are made by SQL from the `otel_traces` rows, in layout 2); `none` for a batch written while
   * the copy was off (the copy is left alone).
   */
  loadTraceSpans?: ((table: string) => Promise<void>) | 'none';
  /**
   * The inserts that were cut short, if known: a server may still be running them, so they are
   * ended first (else one could commit after the comparison, and its rows be stored twice).
   */
  interrupted: readonly string[];
  /**
   * Names the replay's own inserts `<insertId>/replay-…`: the flush's insertId, whose stopInsert
   * then also ends them. A replay that fails (a timeout) is replayed again, and its inserts, which
   * a server may still be running, are ended before that replay compares.
   */
  insertId?: string;
}

/**
 * The Memory tables a replay works in, in the tenant's database, named anew for each replay:
 * several Tracehouse processes can replay into one server's tenant at once (after an outage).
 */
const WORK_TABLE_PREFIX = 'tracehouse_replay_';
/** A work table older than this was left by a replay that died; a live one lasts seconds. */
const STALE_WORK_TABLE_SECONDS = 3600;

/**
 * Stores a batch of span rows that an earlier insert may have stored in part — a flush cut short
 * by a crash, or by an error after ClickHouse had begun writing, possibly between its insert into
 * `otel_traces` and its insert into the copy — so that afterwards each span of it is in
 * `otel_traces` exactly once, in the copy `tracehouse_trace_spans` once, and in the tables the
 * views fill.
 *
 * Why not ClickHouse's insert deduplication (the same `insert_deduplication_token` again)? A
 * MergeTree table writes a block's id to its deduplication log before it commits the block's
 * part: a kill between the two leaves the id without the rows, and the replay is skipped — the
 * kill -9 test lost acknowledged spans that way. And each table deduplicates on its own.
 *
 * So the batch is loaded into Memory tables and compared with what is stored:
 * 1. spans missing from `otel_traces` are inserted; the views fire for them (the trace id → time
 *    range view; before migration 7 also the copy's view).
 * 2. rows missing from `tracehouse_trace_spans` are inserted (unless the batch was written while
 *    the copy was off). With the copy's rows in the batch
 *    (layout 3), a row is missing when no stored row has its trace id, start and the hash of its
 *    bytes. Without them (an older record), they are made by the old view's SELECT (layout 2),
 *    and a span counts as present in any JSON layout (a log stored before a layout change and
 *    replayed after it gets no second row): compared by trace id, start, span id and kind.
 * 3. the trace id → time range rows are inserted again: they are min/max aggregates, which a
 *    second copy does not change.
 * Every step compares anew, so a crash during a replay is healed by the next one. Spans are told
 * apart by trace id, span id, kind and start (a Zipkin shared span has one id for two kinds).
 *
 * The stored rows are read with `GLOBAL IN`: behind a `Distributed` table a plain `IN` subquery
 * runs on every shard, where the work table does not exist.
 */
export async function replaySpanRows(
  driver: ClickHouseDriver,
  database: string,
  replay: SpanRowsReplay,
): Promise<SpanRowsReplayed> {
  for (const insertId of replay.interrupted) await driver.stopInsert(insertId);
  await dropStaleWorkTables(driver, database);
  const db = quoteIdentifier(database);
  const id = randomUUID().replaceAll('-', '');
  const work = (name: string): string => `${db}.${quoteIdentifier(`${WORK_TABLE_PREFIX}${id}_${name}`)}`;
  const batch = work('batch');
  const missing = work('missing');
  const copy = work('copy');
  const traces = `${db}.${quoteIdentifier(TRACES_TABLE)}`;
  const traceSpans = `${db}.${quoteIdentifier(TRACE_SPANS_TABLE)}`;
  const dropWorkTables = async (): Promise<void> => {
    for (const table of [batch, missing, copy]) await driver.exec(`DROP TABLE IF EXISTS ${table}`);
  };
  // The stored rows that can match: the batch's traces, within its time span (partition pruning).
  const storedOf = (table: string, columns: string, of = batch): string =>
    `SELECT ${columns} FROM ${table}
     WHERE TraceId GLOBAL IN (SELECT TraceId FROM ${of})
       AND Timestamp BETWEEN (SELECT min(Timestamp) FROM ${of}) AND (SELECT max(Timestamp) FROM ${of})`;
  const count = async (table: string): Promise<number> =>
    Number(await driver.text(`SELECT count() FROM ${table}`));
  const queryId = (into: string): string | undefined =>
    replay.insertId === undefined ? undefined : `${replay.insertId}/replay-${id}-${into}`;

  try {
    await driver.exec(`CREATE TABLE ${batch} (${SPAN_ROW_STRUCTURE}) ENGINE = Memory`);
    await driver.exec(`CREATE TABLE ${missing} (${SPAN_ROW_STRUCTURE}) ENGINE = Memory`);
    await replay.load(`${batch} (${SPAN_ROW_COLUMN_LIST})`);
    const spans = await count(batch);

    const spanKey = 'TraceId, SpanId, SpanKind, Timestamp';
    await driver.exec(
      `INSERT INTO ${missing} SELECT * FROM ${batch}
       WHERE (${spanKey}) NOT IN (${storedOf(traces, spanKey)})`,
    );
    const missingSpans = await count(missing);
    if (missingSpans > 0)
      await driver.exec(
        `INSERT INTO ${traces} (${SPAN_ROW_COLUMN_LIST}) SETTINGS ${SPAN_INSERT_SETTINGS_SQL}
         SELECT * FROM ${missing}`,
        {},
        queryId('traces'),
      );

    let lacking: string | undefined;
    if (replay.loadTraceSpans === 'none') lacking = undefined;
    else if (replay.loadTraceSpans) {
      await driver.exec(`CREATE TABLE ${copy} (${TRACE_SPANS_STRUCTURE}) ENGINE = Memory`);
      await replay.loadTraceSpans(`${copy} (TraceId, Timestamp, Span)`);
      const copyKey = 'TraceId, Timestamp, cityHash64(Span)';
      lacking = `FROM ${copy} WHERE (${copyKey}) NOT IN (${storedOf(traceSpans, copyKey, copy)})`;
    } else {
      // Compared by identity, not by the JSON: rows stored under an older layout count as present.
      const traceSpanRows =
        `SELECT ${TRACE_SPANS_VIEW_SELECT}, SpanId AS rowSpanId, SpanKind AS rowSpanKind ` +
        `FROM ${batch} WHERE ${TRACE_SPANS_VIEW_WHERE}`;
      const storedIdentity = `SELECT TraceId, Timestamp, storedSpanId, storedSpanKind FROM (${storedOf(traceSpans, `TraceId, Timestamp, ${TRACE_SPANS_IDENTITY_SELECT}`)})`;
      lacking = `FROM (${traceSpanRows}) WHERE (TraceId, Timestamp, rowSpanId, rowSpanKind) NOT IN (${storedIdentity})`;
    }
    const missingTraceSpans =
      lacking === undefined ? 0 : Number(await driver.text(`SELECT count() ${lacking}`));
    if (lacking !== undefined && missingTraceSpans > 0)
      await driver.exec(
        `INSERT INTO ${traceSpans} (TraceId, Timestamp, Span) SETTINGS ${SPAN_INSERT_SETTINGS_SQL}
         SELECT TraceId, Timestamp, Span ${lacking}`,
        {},
        queryId('copy'),
      );

    await driver.exec(
      `INSERT INTO ${db}.${quoteIdentifier(TRACE_ID_TS_TABLE)} SETTINGS ${SPAN_INSERT_SETTINGS_SQL}
       SELECT ${TRACE_ID_TS_VIEW_SELECT} FROM ${batch}
       WHERE ${TRACE_ID_TS_VIEW_WHERE} GROUP BY ${TRACE_ID_TS_VIEW_GROUP_BY}`,
      {},
      queryId('lookup'),
    );
    return { spans, missingSpans, missingTraceSpans };
  } finally {
    await dropWorkTables();
  }
}

/** Drops the work tables replays that died (a crash, a lost connection) left behind. */
async function dropStaleWorkTables(driver: ClickHouseDriver, database: string): Promise<void> {
  const stale = await driver.query<{ name: string }>(
    `SELECT name FROM system.tables
     WHERE database = {database:String} AND startsWith(name, {prefix:String})
       AND metadata_modification_time < now() - {seconds:UInt32}`,
    { database, prefix: WORK_TABLE_PREFIX, seconds: STALE_WORK_TABLE_SECONDS },
  );
  for (const { name } of stale)
    await driver.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(database)}.${quoteIdentifier(name)}`);
}
