import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Session } from 'chdb';
import type { ClickHouseDriver, NativeRows, QueryParams } from './clickhouse-driver.js';
import {
  isNativeRowsFile,
  SPAN_INSERT_SETTINGS_SQL,
  TEXT_INDEX_DIRECT_READ_SETTING,
} from './clickhouse-driver.js';
import { quoteString } from '../schema/sql-quote.js';
import { writeEmbeddedEngineConfig } from './embedded-engine-config.js';
import { withReadTimeLimit } from './read-deadline.js';
import { SessionQueue } from './session-queue.js';

/**
 * The embedded engine: chdb, ClickHouse in-process, on a data folder. Queries run off the event
 * loop (`queryBindAsync`). chdb's own insert API takes text formats only, so binary rows are
 * written to a file and read with `INSERT … SELECT FROM file(…)`: Native blocks (ClickHouse's own
 * columnar format, ~0.5 µs of its CPU a span to read) or RowBinary (~9 µs a span).
 *
 * Two sessions on the one data folder: chdb runs a session's statements one at a time, and all
 * statements with bound parameters one at a time across the process. A flush's insert (up to a
 * second under load) would hold every read behind it, and a long search every flush. So inserts
 * have a session of their own and carry no bound parameters (their file names are quoted into the
 * SQL): reads and flushes run side by side.
 */
export class EmbeddedDriver implements ClickHouseDriver {
  private readonly session: Session;
  private readonly inserts: Session;
  /** The sessions' statements, each session's one at a time (SessionQueue: why). */
  private readonly reads: SessionQueue;
  private readonly writes: SessionQueue;
  private readonly spoolDir: string;
  private closed = false;

  private constructor(session: Session, inserts: Session, spoolDir: string) {
    this.session = session;
    this.inserts = inserts;
    this.reads = new SessionQueue(session);
    this.writes = new SessionQueue(inserts);
    this.spoolDir = spoolDir;
  }

  /** Opens (creating if needed) the data folder. One per process: chdb refuses a second path. */
  static async open(dataDir: string): Promise<EmbeddedDriver> {
    const dir = resolve(dataDir);
    const spoolDir = join(dir, 'insert-spool');
    await mkdir(spoolDir, { recursive: true });
    // A spool file left by a crash is garbage: its rows are still in the write-ahead log.
    await rm(spoolDir, { recursive: true, force: true });
    await mkdir(spoolDir, { recursive: true });
    const connectionArgs = await writeEmbeddedEngineConfig(dir);
    const session = new Session(join(dir, 'clickhouse'), { connectionArgs });
    const inserts = new Session(join(dir, 'clickhouse'), { connectionArgs });
    // The interface promises 64-bit integers as strings (JSON numbers lose precision past 2^53);
    // ClickHouse 25.8 made 0 the default. A SET lasts for the session's connection.
    await session.queryAsync('SET output_format_json_quote_64bit_integers = 1');
    await session.queryAsync(`SET ${TEXT_INDEX_DIRECT_READ_SETTING} = 0`);
    return new EmbeddedDriver(session, inserts, spoolDir);
  }

  /** `queryId` is not needed: see stopInsert. */
  async exec(sql: string, params: QueryParams = {}): Promise<void> {
    await this.reads.run((session) => session.queryBindAsync(sql, toBindParams(params), { format: 'Null' }));
  }

  async text(sql: string, params: QueryParams = {}): Promise<string> {
    // The time limit is taken when the read starts, after the reads queued before it.
    const result = await this.reads.run((session) =>
      session.queryBindAsync(withReadTimeLimit(sql), toBindParams(params), { format: 'TSV' }),
    );
    return result.text();
  }

  async query<Row>(sql: string, params: QueryParams = {}): Promise<Row[]> {
    const result = await this.reads.run((session) =>
      session.queryBindAsync(withReadTimeLimit(sql), toBindParams(params), { format: 'JSONEachRow' }),
    );
    const text = result.text();
    if (text === '') return [];
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Row);
  }

  insertRowBinary(table: string, structure: string, rows: Buffer): Promise<void> {
    return this.insertSpooled(
      table,
      (file) => `file(${quoteString(file)}, 'RowBinary', ${quoteString(structure)})`,
      rows,
    );
  }

  insertNative(table: string, blocks: NativeRows): Promise<void> {
    const source = (file: string): string => `file(${quoteString(file)}, 'Native')`;
    // A file the caller wrote is read where it is: the engine reads files, not buffers.
    if (isNativeRowsFile(blocks)) return this.insertFrom(table, source(blocks.file));
    return this.insertSpooled(table, source, blocks);
  }

  /** Nothing to stop: the engine is in this process, and a failed insert has ended when it rejects. */
  stopInsert(): Promise<void> {
    return Promise.resolve();
  }

  /** Writes `data` to a spool file and inserts it (insertFrom). */
  private async insertSpooled(
    table: string,
    source: (file: string) => string,
    data: Buffer | readonly Buffer[],
  ): Promise<void> {
    const file = join(this.spoolDir, `${randomUUID()}.rows`);
    await writeFile(file, data);
    try {
      await this.insertFrom(table, source(file));
    } finally {
      await rm(file, { force: true });
    }
  }

  /** `INSERT … SELECT * FROM <source>` (a table function reading a file), in the inserts' session. */
  private async insertFrom(table: string, source: string): Promise<void> {
    const sql =
      `INSERT INTO ${table} SETTINGS ${SPAN_INSERT_SETTINGS_SQL}, ` +
      // Skip indexes are built when parts merge (which rebuilds them anyway), not for each
      // insert's small part: ~6 µs of ClickHouse's CPU a span less. Queries read an unmerged
      // part in full, which for a recent small part costs little.
      'materialize_skip_indexes_on_insert = 0 ' +
      `SELECT * FROM ${source}`;
    await this.writes.run((session) => session.queryAsync(sql, { format: 'Null' }));
  }

  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.inserts.close();
      this.session.close();
    }
    return Promise.resolve();
  }
}

function toBindParams(params: QueryParams): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(params))
    out[key] = typeof value === 'bigint' ? value.toString() : value;
  return out;
}
