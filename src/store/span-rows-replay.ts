import { randomUUID } from 'node:crypto';
import type { ClickHouseDriver } from './driver/clickhouse-driver.js';
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
  /** Rows `tracehouse_trace_spans` lacked for spans `otel_traces` had. */
  missingTraceSpans: number;
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
 * by a crash, or by an error after ClickHouse had begun writing — so that afterwards each span of
 * it is in `otel_traces` exactly once, and in the tables the views fill from it.
 *
 * Why not ClickHouse's insert deduplication (the same `insert_deduplication_token` again)? A
 * MergeTree table writes a block's id to its deduplication log before it commits the block's
 * part: a kill between the two leaves the id without the rows, and the replay is skipped — the
 * kill -9 test lost acknowledged spans that way. And each table deduplicates on its own: a kill
 * can leave rows in `otel_traces` whose view rows were never committed.
 *
 * So the batch is loaded into a Memory table and compared with what is stored:
 * 1. spans missing from `otel_traces` are inserted; the views fire for them. A view's table
 *    commits a block after the source table does (its chain runs behind the table's sink), so it
 *    cannot hold rows of spans `otel_traces` lacks.
 * 2. rows missing from `tracehouse_trace_spans` are made by the view's own SELECT and inserted
 *    (a span counts as present there in any layout: a log stored before a layout change and
 *    replayed after it gets no second row).
 * 3. the trace id → time range rows are inserted again: they are min/max aggregates, which a
 *    second copy does not change.
 * Every step compares anew, so a crash during a replay is healed by the next one. Spans are told
 * apart by trace id, span id, kind and start (a Zipkin shared span has one id for two kinds).
 *
 * `load` inserts the batch's rows into the table (with column list) it is given. `interrupted`
 * names the insert that was cut short, if known: a server may still be running it, so it is ended
 * first (else it could commit after the comparison, and its rows be stored twice).
 *
 * The stored rows are read with `GLOBAL IN`: behind a `Distributed` table a plain `IN` subquery
 * runs on every shard, where the work table does not exist.
 */
export async function replaySpanRows(
  driver: ClickHouseDriver,
  database: string,
  load: (table: string) => Promise<void>,
  interrupted?: string,
): Promise<SpanRowsReplayed> {
  if (interrupted !== undefined) await driver.stopInsert(interrupted);
  await dropStaleWorkTables(driver, database);
  const db = quoteIdentifier(database);
  const id = randomUUID().replaceAll('-', '');
  const batch = `${db}.${quoteIdentifier(`${WORK_TABLE_PREFIX}${id}_batch`)}`;
  const missing = `${db}.${quoteIdentifier(`${WORK_TABLE_PREFIX}${id}_missing`)}`;
  const traces = `${db}.${quoteIdentifier(TRACES_TABLE)}`;
  const traceSpans = `${db}.${quoteIdentifier(TRACE_SPANS_TABLE)}`;
  const dropWorkTables = async (): Promise<void> => {
    await driver.exec(`DROP TABLE IF EXISTS ${batch}`);
    await driver.exec(`DROP TABLE IF EXISTS ${missing}`);
  };
  // The stored rows that can match: the batch's traces, within its time span (partition pruning).
  const storedOf = (table: string, columns: string): string =>
    `SELECT ${columns} FROM ${table}
     WHERE TraceId GLOBAL IN (SELECT TraceId FROM ${batch})
       AND Timestamp BETWEEN (SELECT min(Timestamp) FROM ${batch}) AND (SELECT max(Timestamp) FROM ${batch})`;
  const count = async (table: string): Promise<number> =>
    Number(await driver.text(`SELECT count() FROM ${table}`));

  try {
    await driver.exec(`CREATE TABLE ${batch} (${SPAN_ROW_STRUCTURE}) ENGINE = Memory`);
    await driver.exec(`CREATE TABLE ${missing} (${SPAN_ROW_STRUCTURE}) ENGINE = Memory`);
    await load(`${batch} (${SPAN_ROW_COLUMN_LIST})`);
    const spans = await count(batch);

    const spanKey = 'TraceId, SpanId, SpanKind, Timestamp';
    await driver.exec(
      `INSERT INTO ${missing} SELECT * FROM ${batch}
       WHERE (${spanKey}) NOT IN (${storedOf(traces, spanKey)})`,
    );
    const missingSpans = await count(missing);
    if (missingSpans > 0)
      await driver.exec(
        `INSERT INTO ${traces} (${SPAN_ROW_COLUMN_LIST}) SETTINGS insert_deduplicate = 0
         SELECT * FROM ${missing}`,
      );

    // Compared by identity, not by the JSON: rows stored under an older layout count as present.
    const traceSpanRows =
      `SELECT ${TRACE_SPANS_VIEW_SELECT}, SpanId AS rowSpanId, SpanKind AS rowSpanKind ` +
      `FROM ${batch} WHERE ${TRACE_SPANS_VIEW_WHERE}`;
    const storedIdentity = `SELECT TraceId, Timestamp, storedSpanId, storedSpanKind FROM (${storedOf(traceSpans, `TraceId, Timestamp, ${TRACE_SPANS_IDENTITY_SELECT}`)})`;
    const lacking = `FROM (${traceSpanRows}) WHERE (TraceId, Timestamp, rowSpanId, rowSpanKind) NOT IN (${storedIdentity})`;
    const missingTraceSpans = Number(await driver.text(`SELECT count() ${lacking}`));
    if (missingTraceSpans > 0)
      await driver.exec(
        `INSERT INTO ${traceSpans} (TraceId, Timestamp, Span) SETTINGS insert_deduplicate = 0
         SELECT TraceId, Timestamp, Span ${lacking}`,
      );

    await driver.exec(
      `INSERT INTO ${db}.${quoteIdentifier(TRACE_ID_TS_TABLE)} SETTINGS insert_deduplicate = 0
       SELECT ${TRACE_ID_TS_VIEW_SELECT} FROM ${batch}
       WHERE ${TRACE_ID_TS_VIEW_WHERE} GROUP BY ${TRACE_ID_TS_VIEW_GROUP_BY}`,
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
