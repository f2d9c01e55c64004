/** Named query parameters, bound server-side with ClickHouse's `{name:Type}` placeholders. */
export type QueryParams = Record<string, string | number | boolean | bigint | readonly string[]>;

/** Native blocks already in a file (written by the caller, who removes it after the insert). */
export interface NativeRowsFile {
  readonly file: string;
}

/** Native blocks to insert: one buffer, a list sent one after the other, or a file of them. */
export type NativeRows = Buffer | readonly Buffer[] | NativeRowsFile;

/**
 * The settings of every insert of span rows, in SQL (`INSERT … SETTINGS <these> SELECT …`): no
 * insert deduplication (ClickHouseDriver.insertRowBinary: why), and no cap on the partitions (days)
 * one insert may touch. ClickHouse's default cap, 100, would fail a flush whose spans span more
 * days (a backfill, a sender with a broken clock) on every retry: the log would stall for every
 * tenant behind one batch.
 */
export const SPAN_INSERT_SETTINGS_SQL = 'insert_deduplicate = 0, max_partitions_per_insert_block = 0';

/**
 * A setting every read is sent with, at 0: ClickHouse 26.7 answers `has(<items ALIAS>, 'k=v')`
 * straight from a `text` skip index and fails ("First argument for function arrayMap must be a
 * function") when a query reads parts with and without the index (the exporter's items columns
 * are arrayMap ALIASes): every TraceQL string equality on a database with text indexes, once
 * merges had built some. Off, the index still skips granules.
 */
export const TEXT_INDEX_DIRECT_READ_SETTING = 'query_plan_direct_read_from_text_index';

export function isNativeRowsFile(rows: NativeRows): rows is NativeRowsFile {
  return !Buffer.isBuffer(rows) && 'file' in rows;
}

/**
 * What the store needs from ClickHouse, the same for the embedded engine (chdb) and a server or
 * cluster (@clickhouse/client): statements, queries with bound parameters, and bulk inserts of
 * Native blocks or RowBinary rows. Values never reach SQL text: they travel as parameters.
 */
export interface ClickHouseDriver {
  /**
   * Runs a statement that returns no rows (DDL, INSERT … SELECT, ALTER). `queryId` names it, as
   * `insertId` names an insert, so that stopInsert can end it should it outlive its caller.
   */
  exec(sql: string, params?: QueryParams, queryId?: string): Promise<void>;
  /** Runs SQL and returns its output as text, in the FORMAT the statement names (TSV otherwise). */
  text(sql: string, params?: QueryParams): Promise<string>;
  /** Runs a query and returns its rows as objects (JSONEachRow, 64-bit integers as strings). */
  query<Row>(sql: string, params?: QueryParams): Promise<Row[]>;
  /**
   * Inserts RowBinary rows whose columns are described by `structure` ("Name Type, …").
   *
   * Every insert is stored, even one identical to an earlier one: ClickHouse's insert
   * deduplication is off (`insert_deduplicate = 0`). Whether a batch is already stored is the
   * caller's to decide (span-rows-replay.ts), because that deduplication can lose a block: a
   * MergeTree table records the block's id before it commits the block's part.
   */
  insertRowBinary(table: string, structure: string, rows: Buffer): Promise<void>;
  /**
   * Inserts Native blocks (each names and types its columns), the cheapest format for ClickHouse
   * to read: one buffer, a list sent one after the other (log records, which are not copied into
   * one buffer first), or a file the caller wrote them to (a flush's rows, which are then not in
   * memory at all). Never deduplicated, as insertRowBinary. `insertId` names the insert, so that
   * stopInsert can end it should it outlive its caller.
   */
  insertNative(table: string, blocks: NativeRows, insertId?: string): Promise<void>;
  /**
   * Ends the insert named `insertId`, and those named `insertId/…` (a replay's own), if ClickHouse
   * is still running them, and returns once they have ended; nothing when there is none. A server
   * goes on with an insert whose client timed out or went away: a replay of its rows must not
   * compare with the table while it may still commit.
   */
  stopInsert(insertId: string): Promise<void>;
  close(): Promise<void>;
}
