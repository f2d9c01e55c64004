import { countSpans } from '../model/factories.js';
import type { TracesData } from '../model/span.js';
import type { ClickHouseDriver, QueryParams } from './driver/clickhouse-driver.js';
import { SPAN_ROW_SELECT } from './reader/span-row-select.js';
import type { SpanRow } from './reader/span-row-select.js';
import { spanRowsToModel } from './reader/span-row-to-model.js';
import { parseTraceSpanRows } from './reader/trace-span-rows.js';
import { SPAN_ROW_COLUMN_LIST, SPAN_ROW_STRUCTURE } from './rows/span-row-columns.js';
import { applyMigrations } from './schema/apply-migrations.js';
import { applyRetention } from './schema/apply-retention.js';
import { quoteIdentifier } from './schema/sql-quote.js';
import { tenantDatabaseName } from './schema/tenant-database.js';
import { TRACE_SPANS_TABLE } from './schema/trace-spans-schema.js';
import type { CachedTrace, TraceReadCacheOptions } from './trace-read-cache.js';
import { TraceReadCache } from './trace-read-cache.js';
import { TraceTooLargeError } from './trace-too-large-error.js';

export interface TraceStoreOptions {
  /** Whole seconds spans are kept (the table TTL); 0 keeps them forever. */
  retentionSeconds: number;
  /** Most spans `getTrace` returns before refusing with TraceTooLargeError; 0 or absent: no limit. */
  maxTraceSpans?: number;
  /** Recent trace reads kept (trace-read-cache.ts); default 200,000 spans for at most 2 s; 0 turns it off. */
  traceCache?: TraceReadCacheOptions;
}

const DEFAULT_TRACE_CACHE: TraceReadCacheOptions = { maxSpans: 200_000, maxAgeMs: 2000 };

export interface TimeRange {
  /** Unix seconds, inclusive. */
  start: number;
  /** Unix seconds, inclusive. */
  end: number;
}

/**
 * The store's read and write operations over one ClickHouse (embedded or server), per tenant:
 * each tenant is a database, migrated on first use. Driver-independent; all values are bound.
 */
export class TraceStore {
  private readonly ready = new Map<string, Promise<string>>();
  private readonly cache: TraceReadCache;
  /** Reads under way, so a burst of requests for one trace makes one read. */
  private readonly reading = new Map<string, Promise<CachedTrace>>();

  constructor(
    readonly driver: ClickHouseDriver,
    private readonly options: TraceStoreOptions,
  ) {
    this.cache = new TraceReadCache(options.traceCache ?? DEFAULT_TRACE_CACHE);
  }

  /** The tenant's database, created and migrated (once per process) before it is returned. */
  database(tenant: string): Promise<string> {
    let ready = this.ready.get(tenant);
    if (!ready) {
      const name = tenantDatabaseName(tenant);
      const run = (sql: string): Promise<string> => this.driver.text(sql);
      ready = (async () => {
        await applyMigrations(run, name, { retention: this.options.retentionSeconds });
        await applyRetention(run, name, this.options.retentionSeconds);
        return name;
      })();
      // A failed migration is retried on the next use rather than cached.
      ready.catch(() => this.ready.delete(tenant));
      this.ready.set(tenant, ready);
    }
    return ready;
  }

  /**
   * Inserts span rows as encodeSpanRows makes them (Native blocks); the same token again is a
   * no-op (idempotent replay).
   */
  async insertSpanRows(tenant: string, blocks: Buffer, deduplicationToken: string): Promise<void> {
    const table = await this.spanRowsTable(tenant);
    await this.driver.insertNative(table, blocks, deduplicationToken);
    this.cache.invalidate(tenant);
  }

  /** Inserts span rows in RowBinary, as write-ahead logs before the Native format hold them. */
  async insertRowBinarySpanRows(tenant: string, rows: Buffer, deduplicationToken: string): Promise<void> {
    const table = await this.spanRowsTable(tenant);
    await this.driver.insertRowBinary(table, SPAN_ROW_STRUCTURE, rows, deduplicationToken);
    this.cache.invalidate(tenant);
  }

  private async spanRowsTable(tenant: string): Promise<string> {
    return `${quoteIdentifier(await this.database(tenant))}.otel_traces (${SPAN_ROW_COLUMN_LIST})`;
  }

  /** The whole trace (see readTrace), or undefined when no span of it is stored. Do not mutate it. */
  async getTrace(tenant: string, traceId: string, range?: TimeRange): Promise<TracesData | undefined> {
    return (await this.cachedRead(tenant, traceId, range)).trace;
  }

  /**
   * The trace encoded by `encode`, which runs once per cached read and `format`: requests for
   * the same trace in the same format share the bytes. `format` must name the encoding exactly.
   */
  async getTraceEncoded<Body extends string | Buffer>(
    tenant: string,
    traceId: string,
    range: TimeRange | undefined,
    format: string,
    encode: (trace: TracesData) => Body,
  ): Promise<Body | undefined> {
    const read = await this.cachedRead(tenant, traceId, range);
    if (read.trace === undefined) return undefined;
    let body = read.encodings.get(format) as Body | undefined;
    if (body === undefined) {
      body = encode(read.trace);
      read.encodings.set(format, body);
    }
    return body;
  }

  private async cachedRead(
    tenant: string,
    traceId: string,
    range: TimeRange | undefined,
  ): Promise<CachedTrace> {
    const key = `${tenant}\n${traceId}\n${range ? `${range.start}-${range.end}` : ''}`;
    if (!this.cache.enabled) {
      const trace = await this.readTrace(tenant, traceId, range);
      return this.cache.put(key, 0, trace, trace ? countSpans(trace) : 1);
    }
    const cached = this.cache.get(tenant, key);
    if (cached) return cached;
    // A read that began before the latest insert may miss its spans: only join one that did not.
    const generation = this.cache.generation(tenant);
    const readingKey = `${key}\n${generation}`;
    let reading = this.reading.get(readingKey);
    if (!reading) {
      reading = this.readTrace(tenant, traceId, range)
        .then((trace) => this.cache.put(key, generation, trace, trace ? countSpans(trace) : 1))
        .finally(() => this.reading.delete(readingKey));
      this.reading.set(readingKey, reading);
    }
    return reading;
  }

  /**
   * The whole trace, or undefined when no span of it is stored. Read from the trace-id-ordered
   * spans table (one granule of one column); a trace found only in `otel_traces` (stored before
   * that table existed, or written there by the OpenTelemetry Collector's exporter) is read from
   * there. A trace past `maxTraceSpans` throws {@link TraceTooLargeError} after reading one span
   * more than the limit, never the whole trace.
   */
  private async readTrace(
    tenant: string,
    traceId: string,
    range?: TimeRange,
  ): Promise<TracesData | undefined> {
    const database = quoteIdentifier(await this.database(tenant));
    const maxSpans = this.options.maxTraceSpans ?? 0;
    // One span more than the limit tells a trace past it from one exactly at it.
    const limit: QueryParams = maxSpans > 0 ? { limit: maxSpans + 1 } : {};
    const inRange = range
      ? '\n         AND Timestamp >= toDateTime64({start:Int64}, 9) AND Timestamp < toDateTime64({end:Int64} + 1, 9)'
      : '';
    const text = await this.driver.text(
      `SELECT Span FROM ${database}.${TRACE_SPANS_TABLE}
       WHERE TraceId = {traceId:String}${inRange}${'limit' in limit ? '\n       LIMIT {limit:UInt64}' : ''}
       FORMAT TabSeparatedRaw`,
      { traceId, ...range, ...limit },
    );
    let rows = await parseTraceSpanRows(text, traceId);
    if (rows.length === 0) rows = await this.readFromTracesTable(database, traceId, range, limit);
    if (maxSpans > 0 && rows.length > maxSpans) throw new TraceTooLargeError(traceId, maxSpans);
    return rows.length === 0 ? undefined : spanRowsToModel(rows);
  }

  /**
   * Without a range, the trace-id time-range table (filled by a materialized view on insert)
   * narrows the scan to the partitions the trace lives in, as the collector's schema intends.
   */
  private async readFromTracesTable(
    database: string,
    traceId: string,
    range: TimeRange | undefined,
    limit: QueryParams,
  ): Promise<SpanRow[]> {
    let bounds = range;
    if (!bounds) {
      const [found] = await this.driver.query<{ start: string; end: string; n: string }>(
        `SELECT toString(toUnixTimestamp(min(Start))) AS start, toString(toUnixTimestamp(max(End))) AS end, toString(count()) AS n
         FROM ${database}.otel_traces_trace_id_ts WHERE TraceId = {traceId:String}`,
        { traceId },
      );
      if (!found || found.n === '0') return [];
      bounds = { start: Number(found.start), end: Number(found.end) };
    }
    return this.driver.query<SpanRow>(
      `SELECT ${SPAN_ROW_SELECT}
       FROM ${database}.otel_traces
       WHERE TraceId = {traceId:String}
         AND Timestamp >= toDateTime64({start:Int64}, 9) AND Timestamp < toDateTime64({end:Int64} + 1, 9)
       ORDER BY Timestamp, SpanId${'limit' in limit ? '\n       LIMIT {limit:UInt64}' : ''}`,
      { traceId, start: bounds.start, end: bounds.end, ...limit },
    );
  }
}
