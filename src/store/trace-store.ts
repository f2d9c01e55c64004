import type { TracesData } from '../model/span.js';
import type { ClickHouseDriver, NativeRows } from './driver/clickhouse-driver.js';
import { withoutReadDeadline } from './driver/read-deadline.js';
import type { SpanRow } from './reader/span-row-select.js';
import type { SpanRowSink } from './reader/span-row-sink.js';
import { tenantOfDatabase } from './reader/tenant-of-database.js';
import { spanRowsToModel } from './reader/span-row-to-model.js';
import { readTraceRows } from './reader/trace-rows-read.js';
import { readTraceSpanRowTexts } from './reader/trace-span-row-texts.js';
import { forEachTraceSpanRow, sortSpanRows } from './reader/trace-span-rows.js';
import type { TraceOutline } from './reader/trace-outline.js';
import { readTraceOutline } from './reader/trace-outline.js';
import type { SpanBlocks } from './rows/span-blocks.js';
import { SPAN_ROW_COLUMN_LIST, SPAN_ROW_STRUCTURE } from './rows/span-row-columns.js';
import { applyMigrations } from './schema/apply-migrations.js';
import { applyRetention } from './schema/apply-retention.js';
import { resolveSchemaOptions } from './schema/schema-options.js';
import { quoteIdentifier } from './schema/sql-quote.js';
import { tenantDatabaseName } from './schema/tenant-database.js';
import type { CopyChange, CopyTrustedFrom } from './schema/trace-copy-changes.js';
import {
  copyTrustedFrom,
  readTraceCopyChanges,
  recordSpansWithoutCopy,
  recordTraceCopyMode,
} from './schema/trace-copy-changes.js';
import { TRACE_SPANS_TABLE } from './schema/trace-spans-schema.js';
import type { SpanRowsReplayed } from './span-rows-replay.js';
import { replaySpanRows } from './span-rows-replay.js';
import type { CachedTrace, TraceReadCacheOptions, TraceReadResult } from './trace-read-cache.js';
import { TraceReadCache } from './trace-read-cache.js';
import { TraceTooLargeError } from './trace-too-large-error.js';

export interface TraceStoreOptions {
  /** Whole seconds spans are kept (the table TTL); 0 keeps them forever. */
  retentionSeconds: number;
  /** Most spans `getTrace` returns before refusing with TraceTooLargeError; 0 or absent: no limit. */
  maxTraceSpans?: number;
  /** Recent trace reads kept (trace-read-cache.ts); default 200,000 spans for at most 2 s; 0 turns it off. */
  traceCache?: TraceReadCacheOptions;
  /**
   * Writes the trace-id-ordered copy `tracehouse_trace_spans` beside `otel_traces` (default
   * true): trace by id reads one granule of it. Off, a span costs ClickHouse about half the disk
   * and CPU, and trace by id reads `otel_traces` through the trace-id lookup table (slower on
   * large stores). Recorded in each tenant's database (trace-copy-changes.ts).
   */
  traceCopy?: boolean;
  /**
   * Skip indexes of `otel_traces` in databases created from now on: the Collector exporter's
   * `text` indexes (ClickHouse ≥ 26.2) instead of its bloom filters. Default false: bloom filters
   * cost ~14 bytes and ~2.5 µs of ClickHouse CPU a span less (bench/RESULTS.md), and TraceQL finds
   * the same spans with either. A database keeps the indexes it was created with.
   */
  textIndexes?: boolean;
  /** Told of a cluster's TTLs that differ from the retention, with the statements to run there. */
  logger?: { warn(fields: object, message: string): void };
}

const DEFAULT_TRACE_CACHE: TraceReadCacheOptions = { maxSpans: 200_000, maxAgeMs: 2000 };

/** How span rows are encoded: Native blocks, or RowBinary in logs from before Native. */
export type SpanRowsFormat = 'Native' | 'RowBinary';

/**
 * Rows a replay stores: `otel_traces` rows, and the copy's (Native, layout 3) when there are.
 * Without `traceSpanRows` (records of older versions) the copy's rows are made by SQL; with them
 * all empty (written while the copy was off) the copy is left alone.
 */
export interface SpanRowsBatch {
  format: SpanRowsFormat;
  rows: Buffer | readonly Buffer[];
  traceSpanRows?: Buffer | readonly Buffer[];
}

/** The flush a replay stores the rows of, when known (TraceStore.replaySpanRows). */
export interface ReplayedFlush {
  /** The insertId of its otel_traces insert for the tenant; the replay's inserts are named from it. */
  insertId: string;
  /**
   * Whether its inserts, and those of an earlier replay of it, may still be running on a server:
   * they are ended before the first comparison. True for a tenant's first part of a range.
   */
  endEarlierInserts: boolean;
}

/** The insertId of a flush's insert into the copy, from the one of its otel_traces insert. */
export function copyInsertId(insertId: string): string {
  return `${insertId}-copy`;
}

export interface TimeRange {
  /** Unix seconds, inclusive. */
  start: number;
  /** Unix seconds, inclusive. */
  end: number;
}

/**
 * Where reads of a tenant without a database go (TraceStore.readDatabase): the store's schema,
 * empty. No tenant's database has this name, in any case (tenant-database.ts keeps names apart on
 * case-insensitive file systems): `_7` is no escape of tenantDatabaseName's, so listTenants never
 * shows it.
 */
export const EMPTY_READS_DATABASE = 'tracehouse_empty_7reads';
/** Its key among the tenants' databases: no tenant holds a NUL (validateTenant). */
const EMPTY_READS_KEY = '\0empty-reads';

/**
 * The store's read and write operations over one ClickHouse (embedded or server), per tenant:
 * each tenant is a database, migrated on first use. Driver-independent; all values are bound.
 */
export class TraceStore {
  private readonly ready = new Map<string, Promise<string>>();
  private readonly cache: TraceReadCache;
  /** Reads under way, so a burst of requests for one trace makes one read. */
  private readonly reading = new Map<string, Promise<CachedTrace>>();
  /** Reads started for a request expected soon (prefetchTraceBuilt), until it takes them. */
  private readonly prefetched = new Map<string, PrefetchedRead>();
  /**
   * Per tenant, the copy's changes as last read (set by database()): which traces trace by id may
   * read from the copy (trace-copy-changes.ts). Read again when older than COPY_CHANGES_KEPT_MS,
   * since other processes writing the database record changes too.
   */
  private readonly copyChanges = new Map<string, { changes: CopyChange[]; readAt: number }>();
  /** Whether the writers put the copy's rows beside `otel_traces` (TraceStoreOptions.traceCopy). */
  readonly writesTraceCopy: boolean;

  constructor(
    readonly driver: ClickHouseDriver,
    private readonly options: TraceStoreOptions,
  ) {
    this.cache = new TraceReadCache(options.traceCache ?? DEFAULT_TRACE_CACHE);
    this.writesTraceCopy = options.traceCopy ?? true;
  }

  /**
   * Refuses options the server cannot honour (TextIndexesUnsupportedError), at start: a tenant
   * whose database is created later would otherwise fail every flush of the log's range.
   */
  async checkSchemaOptions(): Promise<void> {
    if (this.options.textIndexes !== true) return;
    await resolveSchemaOptions((sql) => this.driver.text(sql), {
      textIndexes: true,
      retention: this.options.retentionSeconds,
    });
  }

  /** The tenant's database, created and migrated (once per process) before it is returned. */
  database(tenant: string): Promise<string> {
    return this.prepared(tenant, () => tenantDatabaseName(tenant));
  }

  /**
   * The database a read of the tenant's spans queries: the tenant's own once it exists (migrated,
   * as by {@link database}), else {@link EMPTY_READS_DATABASE}, migrated once and never written.
   * A read creates nothing: every name a client sends in `X-Scope-OrgID` would otherwise become a
   * database (~0.5 MiB and ~200 ms each), as Tempo keeps nothing for reads of an unknown tenant.
   * A tenant not found is asked again at its next read: another process may have written to it.
   */
  async readDatabase(tenant: string): Promise<string> {
    if (this.ready.has(tenant)) return this.database(tenant);
    const name = tenantDatabaseName(tenant);
    const found = await this.driver.text('SELECT count() FROM system.databases WHERE name = {name:String}', {
      name,
    });
    if (found.trim() !== '0') return this.database(tenant);
    return this.prepared(EMPTY_READS_KEY, () => EMPTY_READS_DATABASE);
  }

  /** The database `nameOf()` names, created and migrated once per process under `key`. */
  private prepared(key: string, nameOf: () => string): Promise<string> {
    let ready = this.ready.get(key);
    if (!ready) {
      const name = nameOf();
      const run = (sql: string): Promise<string> => this.driver.text(sql);
      // A tenant's first read may start this; the budget of that request does not bound it.
      ready = withoutReadDeadline(async () => {
        await applyMigrations(run, name, {
          retention: this.options.retentionSeconds,
          textIndexes: this.options.textIndexes ?? false,
        });
        const { pending } = await applyRetention(run, name, this.options.retentionSeconds);
        if (pending.length > 0)
          this.options.logger?.warn(
            { database: name, statements: pending },
            "the cluster's TTLs differ from --retention: run these statements on the cluster (nothing was changed)",
          );
        const changes = await recordTraceCopyMode(run, name, this.writesTraceCopy, Date.now() / 1000);
        this.copyChanges.set(key, { changes, readAt: Date.now() });
        return name;
      });
      // A failed migration is retried on the next use rather than cached.
      ready.catch(() => this.ready.delete(key));
      this.ready.set(key, ready);
    }
    return ready;
  }

  /**
   * Tenants with a database in this ClickHouse (created on a tenant's first write), sorted;
   * other databases are left out.
   */
  async listTenants(): Promise<string[]> {
    const rows = await this.driver.query<{ name: string }>(
      'SELECT name FROM system.databases WHERE startsWith(name, {prefix:String}) ORDER BY name',
      { prefix: 'tracehouse_' },
    );
    const tenants: string[] = [];
    for (const { name } of rows) {
      const tenant = tenantOfDatabase(name);
      if (tenant !== undefined) tenants.push(tenant);
    }
    return tenants.sort();
  }

  /**
   * Stores batches as encodeSpanBlocks makes them: their `otel_traces` rows, then their rows of
   * the trace-id-ordered copy (unless the copy is off), two inserts. In that order a new trace
   * shows in searches and trace by id at once (trace by id reads `otel_traces` while the copy
   * holds none of it), and a trace with spans in an earlier flush reads by id as it did before
   * this flush until the copy's insert ends. The copy first was tried (session 21): searches then
   * found a trace only an `otel_traces` insert after trace by id did. `insertId` names the inserts
   * (the copy's with `-copy` appended), for a replay to end one should it outlive a crash or a
   * timeout. A caller that must survive a crash between the two replays what it inserted
   * (replaySpanRows): the store exporter does, through its flush intent.
   */
  async insertSpans(
    tenant: string,
    blocks: SpanBlocks | readonly SpanBlocks[],
    insertId?: string,
  ): Promise<void> {
    const all = 'spans' in blocks ? [blocks] : blocks;
    if (!this.writesTraceCopy) await this.noteSpansWithoutCopy(tenant);
    await this.insertSpanRows(
      tenant,
      all.map((b) => b.spans),
      insertId,
    );
    if (!this.writesTraceCopy) return;
    await this.insertTraceSpanRows(
      tenant,
      all.map((b) => b.traceSpans),
      insertId === undefined ? undefined : copyInsertId(insertId),
    );
  }

  /**
   * Inserts `otel_traces` rows only (Native blocks of encodeSpanRows), as a writer that knows
   * nothing of the copy would (the collector's exporter): trace by id then reads these spans from
   * `otel_traces`. Tracehouse's writers use insertSpans.
   */
  async insertSpanRows(tenant: string, blocks: NativeRows, insertId?: string): Promise<void> {
    await this.driver.insertNative(await this.spanRowsTable(tenant), blocks, insertId);
    this.cache.invalidate(tenant);
  }

  /** Inserts rows of the trace-id-ordered copy (Native blocks of encodeTraceSpanRows). */
  async insertTraceSpanRows(tenant: string, blocks: NativeRows, insertId?: string): Promise<void> {
    const table = `${quoteIdentifier(await this.database(tenant))}.${quoteIdentifier(TRACE_SPANS_TABLE)} (TraceId, Timestamp, Span)`;
    await this.driver.insertNative(table, blocks, insertId);
    this.cache.invalidate(tenant);
  }

  /**
   * Stores span rows that an earlier insert may have stored in part (a flush cut short by a crash
   * or an error), so that each of their spans is stored once, in both tables
   * (span-rows-replay.ts). RowBinary: rows from a write-ahead log written before the Native
   * format. Without `batch.traceSpanRows` (records written before the copy was in them) the
   * copy's rows are made by SQL in layout 2. `flush`: the flush cut short, when known.
   *
   * A list of Native blocks is replayed in parts of about `chunkBytes` of `otel_traces` rows: the
   * replay loads its rows into Memory tables in the engine, and a whole 64 MiB flush took ~260 MiB
   * at the peak against ~80 for 32 MiB (bench/RESULTS.md). Each part is compared with what is
   * stored by then, so a span in two parts (sent twice) is stored once.
   */
  async replaySpanRows(
    tenant: string,
    batch: SpanRowsBatch,
    flush?: ReplayedFlush,
    chunkBytes = REPLAY_CHUNK_BYTES,
  ): Promise<SpanRowsReplayed> {
    const copyRows = batch.traceSpanRows === undefined ? undefined : blocksOf(batch.traceSpanRows);
    // Records written while the copy was off have an empty copy block; without the copy now, none
    // is made either (not even by SQL for records of older versions).
    if (!this.writesTraceCopy || copyRows?.some((block) => block.length === 0))
      await this.noteSpansWithoutCopy(tenant);
    const total: SpanRowsReplayed = { spans: 0, missingSpans: 0, missingTraceSpans: 0 };
    let first = true;
    for (const part of replayParts(batch, chunkBytes)) {
      // Earlier inserts are ended before the first comparison; the parts after need not.
      const replayed = await this.replayPart(tenant, part, flush, first && flush?.endEarlierInserts === true);
      first = false;
      total.spans += replayed.spans;
      total.missingSpans += replayed.missingSpans;
      total.missingTraceSpans += replayed.missingTraceSpans;
    }
    return total;
  }

  private async replayPart(
    tenant: string,
    batch: SpanRowsBatch,
    flush: ReplayedFlush | undefined,
    endEarlierInserts: boolean,
  ): Promise<SpanRowsReplayed> {
    const database = await this.database(tenant);
    const { format, rows, traceSpanRows } = batch;
    const copyRows = traceSpanRows === undefined ? undefined : blocksOf(traceSpanRows);
    const replayed = await replaySpanRows(this.driver, database, {
      load: (table) => this.insertRows(table, format, rows),
      loadTraceSpans: !this.writesTraceCopy
        ? 'none'
        : copyRows === undefined
          ? undefined
          : copyRows.every((block) => block.length === 0)
            ? 'none'
            : (table) => this.driver.insertNative(table, copyRows),
      interrupted: flush && endEarlierInserts ? [flush.insertId, copyInsertId(flush.insertId)] : [],
      insertId: flush?.insertId,
    });
    this.cache.invalidate(tenant);
    return replayed;
  }

  /**
   * To be called before spans go into `otel_traces` without their copy rows (the copy off, or log
   * records written while it was): records the gap (trace-copy-changes.ts), so that no trace is
   * read from the copy without them.
   */
  async noteSpansWithoutCopy(tenant: string): Promise<void> {
    const database = await this.database(tenant);
    const run = (sql: string): Promise<string> => this.driver.text(sql);
    const changes = await recordSpansWithoutCopy(run, database, this.writesTraceCopy, Date.now() / 1000);
    this.copyChanges.set(tenant, { changes, readAt: Date.now() });
  }

  /** Which traces may be read from the copy now (trace-copy-changes.ts); after database(). */
  private async copyTrustedFrom(tenant: string, database: string): Promise<CopyTrustedFrom> {
    let known = this.copyChanges.get(tenant);
    if (known === undefined || Date.now() - known.readAt > COPY_CHANGES_KEPT_MS) {
      const run = (sql: string): Promise<string> => this.driver.text(sql);
      known = { changes: await readTraceCopyChanges(run, database), readAt: Date.now() };
      this.copyChanges.set(tenant, known);
    }
    return copyTrustedFrom(
      known.changes,
      this.writesTraceCopy,
      Date.now() / 1000,
      this.options.retentionSeconds,
    );
  }

  private insertRows(table: string, format: SpanRowsFormat, rows: Buffer | readonly Buffer[]): Promise<void> {
    if (format === 'Native') return this.driver.insertNative(table, rows);
    return this.driver.insertRowBinary(
      table,
      SPAN_ROW_STRUCTURE,
      Buffer.isBuffer(rows) ? rows : Buffer.concat(rows),
    );
  }

  private async spanRowsTable(tenant: string): Promise<string> {
    return `${quoteIdentifier(await this.database(tenant))}.otel_traces (${SPAN_ROW_COLUMN_LIST})`;
  }

  /** The whole trace (see reader/trace-rows-read.ts), or undefined when no span of it is stored. Do not mutate it. */
  async getTrace(tenant: string, traceId: string, range?: TimeRange): Promise<TracesData | undefined> {
    return (
      await this.cachedRead(tenant, readKey(tenant, traceId, range), () =>
        this.readModel(tenant, traceId, range),
      )
    ).trace;
  }

  /**
   * Whole traces by id, in the order asked: each as getTrace returns it, undefined where no span
   * of it is stored, or the TraceTooLargeError of one past `maxTraceSpans` (a value, so one such
   * trace fails nothing). A search answers with up to hundreds of whole traces (Jaeger's), so the
   * ones not in the read cache are read together (trace-span-row-texts.ts) rather than one query
   * each; a trace found only in `otel_traces` is then read alone, as getTrace reads it.
   */
  async getTraces(
    tenant: string,
    traceIds: readonly string[],
  ): Promise<(TracesData | TraceTooLargeError | undefined)[]> {
    const out = new Array<TracesData | TraceTooLargeError | undefined>(traceIds.length);
    const toRead: number[] = [];
    for (let i = 0; i < traceIds.length; i++) {
      const cached = this.cache.enabled
        ? this.cache.get(tenant, readKey(tenant, traceIds[i], undefined))
        : undefined;
      if (cached) out[i] = cached.trace;
      else toRead.push(i);
    }
    if (toRead.length === 0) return out;
    const generation = this.cache.generation(tenant);
    const maxSpans = this.options.maxTraceSpans ?? 0;
    const name = await this.readDatabase(tenant);
    if (name === EMPTY_READS_DATABASE) return out;
    const texts = await readTraceSpanRowTexts(
      this.driver,
      quoteIdentifier(name),
      toRead.map((i) => traceIds[i]),
      maxSpans > 0 ? maxSpans + 1 : undefined,
      await this.copyTrustedFrom(tenant, name),
    );
    for (const i of toRead) {
      const traceId = traceIds[i];
      const rowTexts = texts.get(traceId);
      try {
        if (rowTexts === undefined) out[i] = await this.getTrace(tenant, traceId);
        else if (maxSpans > 0 && rowTexts.length > maxSpans) throw new TraceTooLargeError(traceId, maxSpans);
        else {
          const rows: SpanRow[] = [];
          await forEachTraceSpanRow(rowTexts.join('\n'), traceId, (row) => rows.push(row));
          const key = readKey(tenant, traceId, undefined);
          out[i] = this.cache.put(key, generation, await modelReadOf(rows)).trace;
        }
      } catch (error) {
        if (!(error instanceof TraceTooLargeError)) throw error;
        out[i] = error;
      }
    }
    return out;
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
    const read = await this.cachedRead(tenant, readKey(tenant, traceId, range), () =>
      this.readModel(tenant, traceId, range),
    );
    if (read.trace === undefined) return undefined;
    let body = read.encodings.get(format) as Body | undefined;
    if (body === undefined) {
      body = encode(read.trace);
      read.encodings.set(format, body);
    }
    return body;
  }

  /**
   * The trace built straight from its stored rows by the sink `build` makes, without the OTLP
   * model: for a form that needs a few columns of a large trace (the UI's), this skips building
   * and then walking ~100 objects a span. Cached as `format` like getTraceEncoded (`format` must
   * name what the sink makes exactly); undefined when no span of the trace is stored.
   */
  async getTraceBuilt<Body extends string | Buffer>(
    tenant: string,
    traceId: string,
    range: TimeRange | undefined,
    format: string,
    build: () => SpanRowSink<Body>,
  ): Promise<Body | undefined> {
    const key = `${readKey(tenant, traceId, range)}\n${format}`;
    const read = await (this.takePrefetched(tenant, key) ??
      this.cachedRead(tenant, key, () => this.buildRead(tenant, traceId, range, format, build)));
    return read.encodings.get(format) as Body | undefined;
  }

  /**
   * Starts getTraceBuilt's read for a request expected in a moment (the UI's page for the trace is
   * being loaded): that request takes it, even with the read cache off, unless spans were inserted
   * into the tenant since it began. Unclaimed reads are dropped after 10 s; at most 8 are held.
   */
  prefetchTraceBuilt<Body extends string | Buffer>(
    tenant: string,
    traceId: string,
    format: string,
    build: () => SpanRowSink<Body>,
  ): void {
    this.prefetch(tenant, `${readKey(tenant, traceId, undefined)}\n${format}`, () =>
      this.buildRead(tenant, traceId, undefined, format, build),
    );
  }

  /**
   * The trace's outline (reader/trace-outline.ts: the few values of every span a first frame
   * needs, extracted by ClickHouse) made into a body by `build`, cached as `format` like
   * getTraceBuilt. Undefined when there is no outline to read — no span of the trace in the spans
   * table, or one in layout 1: the whole trace (getTraceBuilt) is the answer then.
   */
  async getTraceOutline<Body extends string | Buffer>(
    tenant: string,
    traceId: string,
    range: TimeRange | undefined,
    format: string,
    build: (outline: TraceOutline) => Body,
  ): Promise<Body | undefined> {
    const key = `${readKey(tenant, traceId, range)}\n${format}`;
    const read = await (this.takePrefetched(tenant, key) ??
      this.cachedRead(tenant, key, () => this.outlineRead(tenant, traceId, range, format, build)));
    return read.encodings.get(format) as Body | undefined;
  }

  /** prefetchTraceBuilt for getTraceOutline. */
  prefetchTraceOutline<Body extends string | Buffer>(
    tenant: string,
    traceId: string,
    format: string,
    build: (outline: TraceOutline) => Body,
  ): void {
    this.prefetch(tenant, `${readKey(tenant, traceId, undefined)}\n${format}`, () =>
      this.outlineRead(tenant, traceId, undefined, format, build),
    );
  }

  private prefetch(tenant: string, key: string, read: () => Promise<TraceReadResult>): void {
    const now = Date.now();
    for (const [old, { at }] of this.prefetched)
      if (now - at > PREFETCH_KEPT_MS || this.prefetched.size >= PREFETCH_MAX) this.prefetched.delete(old);
    const generation = this.cache.generation(tenant);
    const reading = this.cachedRead(tenant, key, read);
    reading.catch(() => undefined); // the request that takes it meets the error
    this.prefetched.set(key, { generation, read: reading, at: now });
  }

  private takePrefetched(tenant: string, key: string): Promise<CachedTrace> | undefined {
    const prefetched = this.prefetched.get(key);
    if (prefetched === undefined) return undefined;
    this.prefetched.delete(key);
    const fresh =
      prefetched.generation === this.cache.generation(tenant) &&
      Date.now() - prefetched.at <= PREFETCH_KEPT_MS;
    return fresh ? prefetched.read : undefined;
  }

  private async buildRead<Body extends string | Buffer>(
    tenant: string,
    traceId: string,
    range: TimeRange | undefined,
    format: string,
    build: () => SpanRowSink<Body>,
  ): Promise<TraceReadResult> {
    const sink = build();
    const spans = await this.readTraceRows(tenant, traceId, range, sink);
    const body = spans === 0 ? undefined : sink.finish();
    return { trace: undefined, spans, encodings: body === undefined ? [] : [[format, body] as const] };
  }

  private async outlineRead<Body extends string | Buffer>(
    tenant: string,
    traceId: string,
    range: TimeRange | undefined,
    format: string,
    build: (outline: TraceOutline) => Body,
  ): Promise<TraceReadResult> {
    const name = await this.readDatabase(tenant);
    if (name === EMPTY_READS_DATABASE) return { trace: undefined, spans: 0, encodings: [] };
    const database = quoteIdentifier(name);
    const maxSpans = this.options.maxTraceSpans ?? 0;
    // One span more than the limit tells a trace past it from one exactly at it.
    const outline = await readTraceOutline(
      this.driver,
      database,
      traceId,
      range,
      maxSpans > 0 ? maxSpans + 1 : undefined,
      await this.copyTrustedFrom(tenant, name),
    );
    if (outline === undefined) return { trace: undefined, spans: 0, encodings: [] };
    const spans = outline.spanId.length;
    if (maxSpans > 0 && spans > maxSpans) throw new TraceTooLargeError(traceId, maxSpans);
    return { trace: undefined, spans, encodings: [[format, build(outline)] as const] };
  }

  private async cachedRead(
    tenant: string,
    key: string,
    read: () => Promise<TraceReadResult>,
  ): Promise<CachedTrace> {
    // With the cache off nothing is kept, but concurrent reads of one trace still share a query.
    const cached = this.cache.enabled ? this.cache.get(tenant, key) : undefined;
    if (cached) return cached;
    // A read that began before the latest insert may miss its spans: only join one that did not.
    const generation = this.cache.generation(tenant);
    const readingKey = `${key}\n${generation}`;
    let reading = this.reading.get(readingKey);
    if (!reading) {
      // Shared by every request that asks meanwhile, so not bounded by the first one's budget
      // (read-deadline.ts): a later request joining it would get that request's timeout. A trace
      // read is narrow (one trace id, at most --max-trace-spans spans), and each request still
      // answers 504 at its own deadline.
      reading = withoutReadDeadline(read)
        .then((result) => this.cache.put(key, generation, result))
        .finally(() => this.reading.delete(readingKey));
      this.reading.set(readingKey, reading);
    }
    return reading;
  }

  /** Feeds every stored row of the trace to `sink` (trace-rows-read.ts); 0: no span of it is stored. */
  private async readTraceRows(
    tenant: string,
    traceId: string,
    range: TimeRange | undefined,
    sink: SpanRowSink<unknown>,
  ): Promise<number> {
    const name = await this.readDatabase(tenant);
    if (name === EMPTY_READS_DATABASE) return 0;
    const database = quoteIdentifier(name);
    return readTraceRows(
      this.driver,
      database,
      traceId,
      range,
      this.options.maxTraceSpans ?? 0,
      sink,
      await this.copyTrustedFrom(tenant, name),
    );
  }

  private async readModel(
    tenant: string,
    traceId: string,
    range: TimeRange | undefined,
  ): Promise<TraceReadResult> {
    const rows: SpanRow[] = [];
    await this.readTraceRows(tenant, traceId, range, {
      add: (row) => rows.push(row),
      finish: () => undefined,
    });
    return modelReadOf(rows);
  }
}

/** What a read of a whole trace found: the model of `rows` (in any order), or nothing. */
async function modelReadOf(rows: SpanRow[]): Promise<TraceReadResult> {
  if (rows.length === 0) return { trace: undefined, spans: 0, encodings: [] };
  return { trace: await spanRowsToModel(sortSpanRows(rows)), spans: rows.length, encodings: [] };
}

const PREFETCH_KEPT_MS = 10_000;
/**
 * `otel_traces` row bytes a replay compares at a time (TraceStore.replaySpanRows); the store
 * exporter also reads a range to replay in parts of this size.
 */
export const REPLAY_CHUNK_BYTES = 16 * 1024 * 1024;
/** How long the copy's changes as read are used before they are read again (other processes' changes). */
const COPY_CHANGES_KEPT_MS = 10_000;
const PREFETCH_MAX = 8;

interface PrefetchedRead {
  /** The tenant's cache generation when the read began: an insert since makes it stale. */
  generation: number;
  read: Promise<CachedTrace>;
  at: number;
}

/**
 * The batch in parts of at least `chunkBytes` of `otel_traces` rows (the last one smaller), each
 * record's copy block kept with its rows. A single buffer (RowBinary of an old log, or one
 * block) and copy blocks not one per record stay whole.
 */
function replayParts(batch: SpanRowsBatch, chunkBytes: number): SpanRowsBatch[] {
  const { format, rows, traceSpanRows } = batch;
  if (Buffer.isBuffer(rows) || Buffer.isBuffer(traceSpanRows)) return [batch];
  if (traceSpanRows !== undefined && traceSpanRows.length !== rows.length) return [batch];
  const parts: SpanRowsBatch[] = [];
  let from = 0;
  let bytes = 0;
  for (let i = 0; i < rows.length; i++) {
    bytes += rows[i].length;
    if (bytes < chunkBytes && i < rows.length - 1) continue;
    parts.push({
      format,
      rows: rows.slice(from, i + 1),
      ...(traceSpanRows === undefined ? {} : { traceSpanRows: traceSpanRows.slice(from, i + 1) }),
    });
    from = i + 1;
    bytes = 0;
  }
  return parts.length === 0 ? [batch] : parts;
}

function blocksOf(rows: Buffer | readonly Buffer[]): readonly Buffer[] {
  return Buffer.isBuffer(rows) ? [rows] : rows;
}

function readKey(tenant: string, traceId: string, range: TimeRange | undefined): string {
  return `${tenant}\n${traceId}\n${range ? `${range.start}-${range.end}` : ''}`;
}
