import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ClickHouseDriver, QueryParams } from '../driver/clickhouse-driver.js';
import { readNativeBlocks } from '../native/native-reader.js';
import { SPANS_BY_TRACE_TABLE } from '../schema/spans-by-trace-schema.js';
import { quoteIdentifier } from '../schema/sql-quote.js';
import { TRACE_SPANS_TABLE } from '../schema/trace-spans-schema.js';
import { TraceTooLargeError } from '../trace-too-large-error.js';
import {
  SCOPE_COLUMN_GROUP_BY,
  SCOPE_COLUMN_SELECT,
  SPAN_COLUMN_SELECT,
  scopeColumnsOf,
  spanColumnsOf,
} from './span-column-select.js';
import type { SpanRow } from './span-row-select.js';
import { SPAN_ROW_SELECT } from './span-row-select.js';
import type { SpanRowSink } from './span-row-sink.js';
import { forEachTraceSpanRow } from './trace-span-rows.js';

export interface TraceReadRange {
  /** Unix seconds, inclusive. */
  start: number;
  /** Unix seconds, inclusive. */
  end: number;
}

/** Rows handed to a sink between two turns of the event loop. */
const ROWS_PER_TURN = 4000;

/**
 * Reads one trace's stored rows into a sink, from wherever they are:
 * 1. `tracehouse_spans_by_trace` (migration 7 on): columns ordered by trace id, as Native blocks
 *    for a sink that takes columns, as rows otherwise;
 * 2. `tracehouse_trace_spans`, the JSON copy written by migrations 4 to 6, while it still holds
 *    rows (a trace written across the upgrade has spans in both);
 * 3. `otel_traces` itself when neither copy has the trace (stored before migration 4, or written
 *    by the OpenTelemetry Collector's exporter).
 * A trace past `maxSpans` (0: no limit) throws {@link TraceTooLargeError} before it is fed.
 */
export class TraceRowsReader {
  /** Per database: whether the JSON copy exists and holds rows (it gets none after migration 7). */
  private readonly legacyRows = new Map<string, Promise<boolean>>();

  constructor(
    private readonly driver: ClickHouseDriver,
    private readonly maxSpans: number,
  ) {}

  /** Feeds every stored row of the trace to `sink`; returns how many (0: none stored). */
  async read(
    database: string,
    traceId: string,
    range: TraceReadRange | undefined,
    sink: SpanRowSink<unknown>,
  ): Promise<number> {
    const db = quoteIdentifier(database);
    const params: QueryParams = { traceId, ...range, ...this.limitParam() };
    const where = `WHERE TraceId = {traceId:String}${range ? IN_RANGE : ''}`;
    let rows = await this.readSpansByTrace(db, where, params, sink);
    if (await this.hasLegacyRows(database))
      rows += await this.readLegacy(db, where, params, traceId, rows, sink);
    if (rows > 0) return rows;
    const older = await this.readFromTracesTable(db, traceId, range);
    this.checkSize(traceId, older.length);
    for (const row of older) sink.add(row);
    return older.length;
  }

  private async readSpansByTrace(
    db: string,
    where: string,
    params: QueryParams,
    sink: SpanRowSink<unknown>,
  ): Promise<number> {
    const from = `FROM ${db}.${quoteIdentifier(SPANS_BY_TRACE_TABLE)} ${where}${this.limitClause()}`;
    const traceId = params.traceId as string;
    if (sink.addColumns && sink.addScopeColumns) {
      const bytes = await this.driver.bytes(`SELECT ${SPAN_COLUMN_SELECT} ${from} FORMAT Native`, params);
      const blocks = readNativeBlocks(bytes);
      const rows = blocks.reduce((sum, block) => sum + block.rows, 0);
      this.checkSize(traceId, rows);
      if (rows === 0) {
        sink.begin?.();
        return 0;
      }
      // After the spans: every span read has its scope here (rows are only added, never changed).
      const scopes = await this.driver.bytes(
        `SELECT ${SCOPE_COLUMN_SELECT} FROM ${db}.${quoteIdentifier(SPANS_BY_TRACE_TABLE)} ${where}
         GROUP BY ${SCOPE_COLUMN_GROUP_BY} FORMAT Native`,
        params,
      );
      sink.begin?.();
      for (const block of readNativeBlocks(scopes)) sink.addScopeColumns(scopeColumnsOf(block));
      let sinceTurn = 0;
      for (const block of blocks) {
        // Ingest acknowledgements share this event loop: a large trace must not hold it for long.
        if (sinceTurn >= ROWS_PER_TURN) {
          await nextTurn();
          sinceTurn = 0;
        }
        sink.addColumns(spanColumnsOf(block));
        sinceTurn += block.rows;
      }
      return rows;
    }
    const found = await this.driver.query<SpanRow>(`SELECT ${SPAN_ROW_SELECT} ${from}`, params);
    sink.begin?.();
    this.checkSize(traceId, found.length);
    for (const row of found) sink.add(row);
    return found.length;
  }

  /** The trace's rows in the JSON copy; `before` rows were found in the columnar one. */
  private async readLegacy(
    db: string,
    where: string,
    params: QueryParams,
    traceId: string,
    before: number,
    sink: SpanRowSink<unknown>,
  ): Promise<number> {
    const text = await this.driver.text(
      `SELECT Span FROM ${db}.${quoteIdentifier(TRACE_SPANS_TABLE)} ${where}${this.limitClause()} FORMAT TabSeparatedRaw`,
      params,
    );
    // Counting lines first costs a scan of the text, but spares parsing a trace past the limit.
    if (this.maxSpans > 0) this.checkSize(traceId, before + countLines(text));
    if (before === 0) sink.begin?.();
    return forEachTraceSpanRow(text, traceId, (row) => sink.add(row));
  }

  private hasLegacyRows(database: string): Promise<boolean> {
    let known = this.legacyRows.get(database);
    if (known === undefined) {
      known = (async () => {
        const [table] = await this.driver.query<{ n: string }>(
          'SELECT toString(count()) AS n FROM system.tables WHERE database = {database:String} AND name = {table:String}',
          { database, table: TRACE_SPANS_TABLE },
        );
        if (table?.n !== '1') return false;
        const [rows] = await this.driver.query<{ n: string }>(
          `SELECT toString(count()) AS n FROM ${quoteIdentifier(database)}.${quoteIdentifier(TRACE_SPANS_TABLE)}`,
        );
        return rows?.n !== '0';
      })();
      // An error is not an answer: ask again next time.
      known.catch(() => this.legacyRows.delete(database));
      this.legacyRows.set(database, known);
    }
    return known;
  }

  /**
   * Without a range, the trace-id time-range table (filled by a materialized view on insert)
   * narrows the scan to the partitions the trace lives in, as the collector's schema intends.
   */
  private async readFromTracesTable(
    db: string,
    traceId: string,
    range: TraceReadRange | undefined,
  ): Promise<SpanRow[]> {
    let bounds = range;
    if (!bounds) {
      const [found] = await this.driver.query<{ start: string; end: string; n: string }>(
        `SELECT toString(toUnixTimestamp(min(Start))) AS start, toString(toUnixTimestamp(max(End))) AS end, toString(count()) AS n
         FROM ${db}.otel_traces_trace_id_ts WHERE TraceId = {traceId:String}`,
        { traceId },
      );
      if (!found || found.n === '0') return [];
      bounds = { start: Number(found.start), end: Number(found.end) };
    }
    return this.driver.query<SpanRow>(
      `SELECT ${SPAN_ROW_SELECT}
       FROM ${db}.otel_traces
       WHERE TraceId = {traceId:String}${IN_RANGE}
       ORDER BY Timestamp, SpanId${this.limitClause()}`,
      { traceId, ...bounds, ...this.limitParam() },
    );
  }

  /** One span more than the limit tells a trace past it from one exactly at it. */
  private limitParam(): QueryParams {
    return this.maxSpans > 0 ? { limit: this.maxSpans + 1 } : {};
  }

  private limitClause(): string {
    return this.maxSpans > 0 ? '\n       LIMIT {limit:UInt64}' : '';
  }

  private checkSize(traceId: string, rows: number): void {
    if (this.maxSpans > 0 && rows > this.maxSpans) throw new TraceTooLargeError(traceId, this.maxSpans);
  }
}

const IN_RANGE =
  '\n         AND Timestamp >= toDateTime64({start:Int64}, 9) AND Timestamp < toDateTime64({end:Int64} + 1, 9)';

/** Lines of TabSeparated output (a last line without its newline counts). */
function countLines(text: string): number {
  let lines = 0;
  let at = text.indexOf('\n');
  for (; at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return text.length > 0 && !text.endsWith('\n') ? lines + 1 : lines;
}
