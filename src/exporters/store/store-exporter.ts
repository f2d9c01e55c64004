import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { PermanentError, RetryableError } from '../../consumer/errors.js';
import { callAsPromise } from '../../consumer/call-as-promise.js';
import type { ConsumeContext } from '../../consumer/traces-consumer.js';
import { countSpans } from '../../model/factories.js';
import { defaultTenant } from '../../model/tenant.js';
import type { Logger } from '../../logging/logger.js';
import type { TracesData } from '../../model/span.js';
import {
  secondsSince,
  storeFlushFailures,
  storeFlushSeconds,
  storeInsertSeconds,
  walAppendSeconds,
  walDiskBytes,
  walUnflushedBytes,
} from '../../observability/self-metrics.js';
import type { ServiceGraphOptions } from '../../servicegraph/service-graph-options.js';
import { resolveServiceGraphOptions } from '../../servicegraph/service-graph-options.js';
import type { PreparedPairing } from '../../servicegraph/service-graph-recorder.js';
import { ServiceGraphRecorder } from '../../servicegraph/service-graph-recorder.js';
import { ServerUnavailableError } from '../../store/driver/server-driver.js';
import { InvalidTenantError, validateTenant } from '../../store/schema/tenant-database.js';
import type { SpanRowsReplayed } from '../../store/span-rows-replay.js';
import type { SpanRowsFormat, TraceStore } from '../../store/trace-store.js';
import { copyInsertId, REPLAY_CHUNK_BYTES } from '../../store/trace-store.js';
import {
  errorCode,
  isDiskFullCode,
  WalFullError,
  WalRecordTooLargeError,
  WalWriteError,
} from '../../wal/wal-errors.js';
import type { WriteAheadLog } from '../../wal/write-ahead-log.js';
import type { TracesExporter } from '../traces-exporter.js';
import type { FlushRange, IntentReplay } from './flush-intent.js';
import { FlushIntent, intentReplay } from './flush-intent.js';
import { FlushSpool } from './flush-spool.js';
import type { StoreRecord } from './wal-record.js';
import { decodeStoreRecord, encodeStoreRecord } from './wal-record.js';

/**
 * One tenant's records of one layout, held in memory to be replayed (TraceStore.replaySpanRows):
 * those of a range whose flush was cut short, a part at a time, and those of records written by
 * older versions.
 */
interface BufferedInsert {
  kind: 'buffered';
  tenant: string;
  format: SpanRowsFormat;
  rows: Buffer[];
  /** The copy's rows, for records that carry them (all but those of older versions). */
  traceSpanRows?: Buffer[];
  /** `otel_traces` row bytes in `rows`. */
  rowBytes: number;
  /** Parts replayed so far, and what they stored. */
  parts: number;
  replayed: SpanRowsReplayed;
}

/** Rows of a new range, in files (flush-spool.ts). */
interface SpooledInsert {
  kind: 'spooled';
  tenant: string;
  spool: FlushSpool;
}

type PendingInsert = BufferedInsert | SpooledInsert;

interface PendingFlush {
  range: FlushRange;
  inserts: PendingInsert[];
  /** Log bytes the range's records take. */
  logBytes: number;
}

/** The next flush's records, being read while the flush before is inserted. */
interface ReadAhead {
  first: number;
  read: Promise<PendingFlush | undefined>;
}

/** How much of the log one read of a new range takes (its records go on to the spool). */
const SPOOL_READ_BYTES = 8 * 1024 * 1024;

export interface StoreExporterConfig {
  /** How often accepted spans are flushed from the log into ClickHouse. */
  flushIntervalMs: number;
  /**
   * Flush at once when this many bytes wait in the log; also the most `otel_traces` row bytes one
   * flush inserts (the copy's rows of the same spans come with them).
   */
  flushMaxBytes: number;
  /** Folder for the flush intent (beside the log). */
  stateDir: string;
  /** Service graph pairing at ingest (servicegraph/service-graph-options.ts for the defaults). */
  serviceGraph?: Partial<ServiceGraphOptions>;
  /**
   * `otel_traces` row bytes of a tenant's records replayed at a time when a range whose flush was
   * cut short is replayed; the store's own part size (REPLAY_CHUNK_BYTES) unless set (tests).
   */
  replayPartBytes?: number;
}

/**
 * The `store` exporter. A batch is accepted once its rows — for `otel_traces` and for the
 * trace-id-ordered copy `tracehouse_trace_spans` — are in the write-ahead log (fsync'ed); a
 * flusher then moves the log into ClickHouse in large inserts, two per tenant (`otel_traces`,
 * then the copy), and only then advances the log's checkpoint. The range being flushed is
 * written down first (FlushIntent): when a flush is cut short by a crash (between its two
 * inserts, too) or fails, the range is replayed by comparing it with what ClickHouse holds
 * (TraceStore.replaySpanRows). So an acknowledged span is stored exactly once:
 * never lost (it is in the log until stored) and never twice (a replay adds only what is missing).
 *
 * Accepted spans are also paired into service graph edges (ServiceGraphRecorder), which are not
 * in the log: a crash loses the last seconds of edges, never spans.
 */
export class StoreExporter implements TracesExporter {
  readonly component = 'store';
  private readonly intent: FlushIntent;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  /** The timer came while a flush ran: the next one starts as soon as that one ends. */
  private flushOwed = false;
  private flushChain: Promise<void> = Promise.resolve();
  private stopped = false;
  private consecutiveFailures = 0;
  private readonly detachGauges: (() => void)[] = [];
  private readonly serviceGraph: ServiceGraphRecorder | undefined;
  /** Record bytes a span took in the last batch: what the next one's record is guessed at. */
  private recordBytesPerSpan = 0;
  /** Size of the last record the log took: what a request is guessed at before it is read. */
  private lastRecordBytes = 0;
  /**
   * Log bytes an `otel_traces` row byte took in the last flush (the copy's rows and the record's
   * header come with it): how full the log must be for a flush of `flushMaxBytes` to wait.
   */
  private logBytesPerRowByte = 1;
  private readAhead: ReadAhead | undefined;
  /** Where a new range's rows are written for their inserts (flush-spool.ts). */
  private readonly spoolDir: string;

  constructor(
    private readonly store: TraceStore,
    private readonly wal: WriteAheadLog,
    private readonly config: StoreExporterConfig,
    private readonly logger: Logger,
  ) {
    this.intent = new FlushIntent(config.stateDir);
    this.spoolDir = join(config.stateDir, 'flush-spool');
    const serviceGraph = resolveServiceGraphOptions(config.serviceGraph);
    if (serviceGraph.enabled) this.serviceGraph = new ServiceGraphRecorder(store, serviceGraph, logger);
  }

  /** Replays what the log holds from before a restart, then flushes on a timer. */
  async start(): Promise<void> {
    for (const damage of this.wal.damage)
      this.logger.error({ damage }, 'write-ahead log damage found at open');
    // Files of a flush cut short by a crash: the log still holds their rows. (Each flush makes
    // the folder again: FlushSpool.create.)
    await rm(this.spoolDir, { recursive: true, force: true });
    // Without the log's checkpoint, records before any flush in progress may be stored already:
    // they are replayed by comparison, as a flush cut short is (records after a flush in progress
    // were never flushed).
    const cutShort = await this.intentReplay();
    if (this.wal.flushedUnknown) {
      const { flushedPosition, nextPosition } = this.wal.stats();
      const range = { ...cutShort?.range, first: flushedPosition, end: cutShort?.range.end ?? nextPosition };
      this.logger.warn(
        range,
        "the write-ahead log's checkpoint is missing or damaged: its records are replayed, each stored once",
      );
      await this.intent.write(range);
    }
    try {
      // Written as it will be replayed: records appended from now on were never flushed, and a
      // replay that fails and is retried need not compare them. (Not written, as on a full disk,
      // the damaged intent is read the same way again.)
      if (!this.wal.flushedUnknown && cutShort?.problem !== undefined)
        await this.intent.write(cutShort.range);
      // Migrating the default tenant now makes a broken ClickHouse (credentials, a schema newer
      // than this version, text indexes it lacks) fail start-up, not the first request.
      await this.store.checkSchemaOptions();
      await this.store.database(defaultTenant());
      await this.flushAll();
    } catch (error) {
      // A server that is down is not broken: the log takes spans until it answers, and the
      // flusher migrates and replays then, as it retries any flush.
      if (error instanceof ServerUnavailableError)
        this.logger.warn(
          { err: error.message },
          'ClickHouse is unreachable at start: spans are kept in the write-ahead log until it answers',
        );
      // Nor is a full disk (the checkpoint, a spool file): what the replay stored is replayed by
      // comparison again at the next try, and exiting would only repeat this at every start until
      // there is room. Other failures to write (a folder not writable) stop start-up, as they
      // would never pass. (The code is the log's WalWriteError's, or a spool or intent file's.)
      else if (isDiskFullCode(errorCode(error)))
        this.logger.error(
          { err: (error as Error).message },
          'the disk is full: flushing at start failed, the flusher retries until there is room',
        );
      else throw error;
    }
    this.schedule();
    this.serviceGraph?.start();
    // The log's size is read when /metrics is scraped, not tracked on the hot path.
    this.detachGauges.push(
      walDiskBytes.collectFrom(() => this.wal.stats().diskBytes),
      walUnflushedBytes.collectFrom(() => this.wal.stats().unflushedBytes),
    );
  }

  /**
   * Not async: an async function keeps its arguments reachable while it waits, and the decoded
   * batch would then survive the fsync's scavenges and be promoted (paying a mark-compact later).
   * Everything the batch is needed for happens before the append: the record is encoded and what
   * pairing needs is taken out (paired only once the log has the batch).
   */
  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    return callAsPromise(() => {
      const { tenant, record, pairing } = this.encode(data, context);
      return this.append(tenant, record, pairing);
    });
  }

  private encode(
    data: TracesData,
    context: ConsumeContext,
  ): { tenant: string; record: Buffer; pairing: PreparedPairing | undefined } {
    let tenant: string;
    try {
      tenant = validateTenant(context.tenant);
    } catch (error) {
      if (error instanceof InvalidTenantError) throw new PermanentError(error.message);
      throw error;
    }
    // A batch the log cannot take is refused before it is encoded: encoding it costs more than
    // decoding it did, and a sender that retries at once (no backoff) would pay that in a loop.
    const spans = countSpans(data);
    const estimate = spans * this.recordBytesPerSpan;
    // A batch estimated past a segment is encoded anyway: the log refuses it for its size (413),
    // which waiting cannot change, rather than as full (429), which a sender would retry for ever.
    if (estimate <= this.wal.maxPayloadBytes && this.wal.isFull(estimate))
      throw logFullError('a batch of this size');
    let record: Buffer;
    try {
      // Both tables' rows (the copy's unless it is off), behind the record's header (wal-record.ts).
      record = encodeStoreRecord(tenant, data, this.store.writesTraceCopy);
    } catch (error) {
      // The copy is OTLP protobuf: an id that is not hex cannot be written (receivers check ids,
      // so only a span made in-process can have one). Sending it again would not help.
      if (error instanceof TypeError)
        throw new PermanentError(`the batch cannot be stored: ${error.message}`);
      throw error;
    }
    if (spans > 0) this.recordBytesPerSpan = Math.floor(record.length / spans);
    return { tenant, record, pairing: this.preparePairing(tenant, data) };
  }

  /**
   * Asked before a request is read or decoded: refused when the log could not take a record the
   * size of the last one it took. Under overload the log sits within one batch of its cap, and a
   * sender that retries at once would otherwise have each retry decoded only to be refused here.
   * A smaller batch that would still fit is refused too; the log is that close to full.
   */
  wouldRefuse(): RetryableError | undefined {
    return this.wal.isFull(this.lastRecordBytes) ? logFullError('a batch like the last one') : undefined;
  }

  /** What the service graph needs of the batch; undefined (its edges lost) when that fails. */
  private preparePairing(tenant: string, data: TracesData): PreparedPairing | undefined {
    try {
      return this.serviceGraph?.prepare(tenant, data);
    } catch (error) {
      this.edgesLost(error, tenant);
      return undefined;
    }
  }

  private edgesLost(error: unknown, tenant: string): void {
    this.logger.error(
      { err: error, tenant },
      'service graph pairing failed; its edges for this batch are lost',
    );
  }

  private async append(tenant: string, record: Buffer, pairing: PreparedPairing | undefined): Promise<void> {
    try {
      const started = performance.now();
      await this.wal.append(record);
      walAppendSeconds.observe({}, secondsSince(started));
      this.lastRecordBytes = record.length;
    } catch (error) {
      if (error instanceof WalFullError) {
        throw new RetryableError(
          `the store is behind: its write-ahead log is full (${error.message})`,
          1000,
          { throttle: true },
        );
      }
      if (error instanceof WalWriteError)
        throw new RetryableError(`the store cannot write: ${error.message}`, 5000);
      if (error instanceof WalRecordTooLargeError)
        throw new PermanentError(
          `a batch of ${error.recordBytes} bytes in the write-ahead log is larger than its segments ` +
            `(${error.segmentMaxBytes} bytes, a quarter of --wal-max-mib between 1 and 64 MiB): send smaller batches`,
          { tooLarge: true },
        );
      throw error;
    }
    // Only accepted spans are paired: a refused batch comes again when the sender retries. The
    // batch is in the log now, so nothing may fail the export from here on: the sender would
    // send it again and it would be stored twice.
    if (pairing !== undefined) {
      try {
        this.serviceGraph?.pair(pairing);
      } catch (error) {
        this.edgesLost(error, tenant);
      }
    }
    // A flush under way goes on by itself while a full one waits (flushPaced).
    if (!this.flushing && this.fullFlushWaits()) this.triggerFlush();
  }

  /**
   * Flushes everything in the log now (tests, shutdown, start-up replay). Flushes never overlap:
   * a call made while one runs waits for it and then drains what is left, so two flushes can
   * neither write the intent file at once nor commit log ranges out of order.
   */
  flushAll(): Promise<void> {
    return this.chainFlushes(() => true);
  }

  /**
   * The flusher's own flushes: one, then more only while a full one (`flushMaxBytes`) waits. Not
   * drained to empty: what came in during an insert waits for the next tick and goes in with what
   * comes until then, so inserts stay large when ClickHouse is quick (an insert costs the engine
   * about the same whatever its size, and each makes a part to merge).
   */
  private flushPaced(): Promise<void> {
    return this.chainFlushes(() => this.fullFlushWaits());
  }

  private fullFlushWaits(): boolean {
    return this.wal.stats().unflushedBytes >= this.config.flushMaxBytes * this.logBytesPerRowByte;
  }

  /** Flushes after those already chained, while `more` says so after each. */
  private chainFlushes(more: () => boolean): Promise<void> {
    const run = this.flushChain.then(async () => {
      while ((await this.flushOnce()) && more()) {
        // the next flush
      }
    });
    // The chain continues after a failure; the caller of this run still sees it.
    this.flushChain = run.catch(() => undefined);
    return run;
  }

  private schedule(): void {
    if (this.stopped) return;
    const backoff = Math.min(30_000, this.config.flushIntervalMs * 2 ** this.consecutiveFailures);
    this.timer = setTimeout(() => {
      if (this.flushing) this.flushOwed = true;
      else this.triggerFlush();
      this.schedule();
    }, backoff);
  }

  private triggerFlush(): void {
    this.flushOwed = false;
    this.flushing = this.flushPaced()
      .then(() => {
        this.consecutiveFailures = 0;
      })
      .catch((error: unknown) => {
        storeFlushFailures.inc({});
        this.consecutiveFailures = Math.min(this.consecutiveFailures + 1, 6);
        this.logger.warn({ err: error }, 'flushing the write-ahead log into ClickHouse failed; will retry');
      })
      .finally(() => {
        this.flushing = undefined;
        // After a failure the timer's backoff decides when to try again.
        if (this.flushOwed && this.consecutiveFailures === 0 && !this.stopped) this.triggerFlush();
      });
  }

  /**
   * One flush of at most `flushMaxBytes`, or the replay of a range whose flush was cut short;
   * false when there was nothing to flush.
   */
  private async flushOnce(): Promise<boolean> {
    const pending = (await this.intentReplay())?.range;
    const started = performance.now();
    if (pending) {
      // Records read ahead (from where this range ends) stay for the flush after it, which takes
      // them if they start where the log is then flushed to (takeRange).
      await this.replayRange(pending);
      await this.wal.commitFlushed(pending.end);
    } else {
      const read = await this.takeRange();
      if (read === undefined) return false;
      try {
        // Written before the insert: after a crash or a failure, the range is replayed, not inserted.
        await this.intent.write(read.range);
        this.startReadAhead(read);
        await this.insertRange(read);
      } finally {
        await removeSpools(read);
      }
      await this.wal.commitFlushed(read.range.end);
    }
    await this.intent.clear();
    storeFlushSeconds.observe({}, secondsSince(started));
    return true;
  }

  /**
   * The range of a flush cut short, if its intent is there, made to fit the log as it is now
   * (intentReplay): an intent that is damaged or does not match the log is logged and replayed
   * by comparison from the checkpoint, never failing start-up, skipping records or committing
   * past the log's end.
   */
  private async intentReplay(): Promise<IntentReplay | undefined> {
    const { flushedPosition, nextPosition } = this.wal.stats();
    const replay = intentReplay(await this.intent.read(), flushedPosition, nextPosition);
    if (replay?.problem !== undefined)
      this.logger.warn(
        { problem: replay.problem, replayed: replay.range, flushedPosition, nextPosition },
        `${replay.problem}: the write-ahead log's records ${replay.range.first} to ${replay.range.end} are replayed, each stored once`,
      );
    return replay;
  }

  /**
   * Replays a range whose flush was cut short (a crash, a failed insert): reads its records in
   * order and replays each tenant's (by record layout) in parts of `replayPartBytes` of
   * `otel_traces` rows as they fill, and the largest group whenever all together hold two parts
   * (many tenants, each with less than a part), so that about two parts are held whatever the
   * tenants. Holding the whole range first took up to ~115 MiB of records with 64 MiB flushes
   * (bench/RESULTS.md). Each part is compared with what ClickHouse holds by then.
   */
  private async replayRange(range: FlushRange): Promise<void> {
    const partBytes = this.config.replayPartBytes ?? REPLAY_CHUNK_BYTES;
    const groups = new Map<string, BufferedInsert>();
    let heldBytes = 0;
    // Reads of the log's smallest size (1 MiB): a record held is a view of its read's buffer and
    // keeps all of it alive, so larger reads would keep more than the parts held.
    for await (const record of this.wal.readFrom(range.first)) {
      if (record.position >= range.end) break;
      const decoded = decodeStoreRecord(record.payload);
      const group = addBuffered(groups, decoded);
      heldBytes += decoded.rows.length;
      let full: BufferedInsert | undefined = group.rowBytes >= partBytes ? group : undefined;
      if (!full && heldBytes >= 2 * partBytes)
        for (const other of groups.values()) if (other.rowBytes > (full?.rowBytes ?? 0)) full = other;
      if (full) {
        heldBytes -= full.rowBytes;
        await this.replayPart(full, range);
      }
    }
    for (const group of groups.values()) {
      await this.replayPart(group, range);
      this.logReplayed(group, range);
    }
  }

  /** Inserts a new range's records: from its spool files, or by replay for older versions' records. */
  private async insertRange(read: PendingFlush): Promise<void> {
    const { range, inserts } = read;
    for (const insert of inserts) {
      if (insert.kind === 'buffered') {
        // Records of older versions are replayed, compared with what ClickHouse holds: a log from
        // before Native, whose flush may have been under way; records without the copy's rows,
        // which the replay makes by SQL.
        await this.replayPart(insert, range);
        this.logReplayed(insert, range);
        continue;
      }
      const { tenant, spool } = insert;
      const inserting = performance.now();
      const insertId = range.insertId === undefined ? undefined : `${range.insertId}-${tenant}`;
      const withCopy = this.store.writesTraceCopy;
      // Spans going in without their copy rows: recorded first, so no read trusts the copy for them.
      if (!withCopy || spool.lacksTraceSpanRows) await this.store.noteSpansWithoutCopy(tenant);
      // Two inserts, otel_traces first (TraceStore.insertSpans: why); a crash between them leaves
      // the intent, and the range is replayed.
      await this.store.insertSpanRows(tenant, spool.rows, insertId);
      if (withCopy && spool.hasTraceSpanRows)
        await this.store.insertTraceSpanRows(tenant, spool.traceSpanRows, insertId && copyInsertId(insertId));
      storeInsertSeconds.observe({ tenant }, secondsSince(inserting));
    }
  }

  /** The next flush's records: those read ahead if they start where the log is flushed to, else read now. */
  private takeRange(): Promise<PendingFlush | undefined> {
    const ahead = this.readAhead;
    this.readAhead = undefined;
    if (ahead === undefined) return this.readRange();
    if (ahead.first !== this.wal.stats().flushedPosition) {
      // The records are read again when their turn comes.
      void discardReadAhead(ahead);
      return this.readRange();
    }
    // A read that failed (the log closing, a file error) is tried again the ordinary way.
    return ahead.read.catch(() => this.readRange());
  }

  /**
   * Starts reading the next flush's records into its spool files while this one is inserted,
   * when a full flush waits behind it: the engine then goes from one insert to the next without
   * waiting for the log to be read (~0.1–0.2 s a flush under overload, bench/RESULTS.md). The
   * records pass through memory a write at a time, so reading ahead costs no memory; when they
   * were held until inserted, reading ahead during the insert cost +130 MiB of peak RSS. Only
   * reads the log; nothing of it or of the intent changes until that flush runs.
   */
  private startReadAhead(current: PendingFlush): void {
    const after = this.wal.stats().unflushedBytes - current.logBytes;
    if (after < this.config.flushMaxBytes * this.logBytesPerRowByte) return;
    const read = this.readRange(current.range.end);
    // Not awaited until the next flush; takeRange reads again if it failed.
    read.catch(() => undefined);
    this.readAhead = { first: current.range.end, read };
  }

  /** Replays the rows `insert` holds now, and lets them go. */
  private async replayPart(insert: BufferedInsert, range: FlushRange): Promise<void> {
    if (insert.rows.length === 0) return;
    const { tenant, format, rows, traceSpanRows } = insert;
    // The inserts that were cut short are ended before the first comparison (TraceStore.replaySpanRows).
    const flush =
      range.insertId === undefined
        ? undefined
        : { insertId: `${range.insertId}-${tenant}`, endEarlierInserts: insert.parts === 0 };
    insert.rows = [];
    if (traceSpanRows !== undefined) insert.traceSpanRows = [];
    insert.rowBytes = 0;
    insert.parts++;
    const inserting = performance.now();
    const replayed = await this.store.replaySpanRows(tenant, { format, rows, traceSpanRows }, flush);
    storeInsertSeconds.observe({ tenant }, secondsSince(inserting));
    insert.replayed.spans += replayed.spans;
    insert.replayed.missingSpans += replayed.missingSpans;
    insert.replayed.missingTraceSpans += replayed.missingTraceSpans;
  }

  private logReplayed(insert: BufferedInsert, range: FlushRange): void {
    this.logger.info(
      { tenant: insert.tenant, range, parts: insert.parts, ...insert.replayed },
      'replayed a write-ahead-log range whose flush was interrupted; stored what ClickHouse lacked',
    );
  }

  /**
   * The records of the next flush in one pass over the log, from `from` (the flushed position)
   * until `flushMaxBytes` are read, grouped by tenant: their rows are written to spool files as
   * they are read. Records of older versions (only in a log written by one) are kept in memory,
   * grouped by tenant and layout, to be replayed.
   */
  private async readRange(from?: number): Promise<PendingFlush | undefined> {
    const spooled = new Map<string, SpooledInsert>();
    const buffered = new Map<string, BufferedInsert>();
    const flushId = randomUUID();
    let first: number | undefined;
    let end = 0;
    let bytes = 0;
    let logBytes = 0;
    try {
      // Reads of SPOOL_READ_BYTES: each waits for a turn of the event loop, busy with requests
      // under load (at 1 MiB a read, ~50 MiB of log took ~0.2 s), and the records go on to the
      // spool a write at a time, so a read bounds what is held.
      for await (const record of this.wal.readFrom(from, SPOOL_READ_BYTES)) {
        first ??= record.position;
        end = record.position + 1;
        const decoded = decodeStoreRecord(record.payload);
        const { tenant, rows, traceSpanRows } = decoded;
        if (traceSpanRows !== undefined) {
          let insert = spooled.get(tenant);
          if (!insert) {
            const spool = await FlushSpool.create(this.spoolDir, `${flushId}-${spooled.size}`);
            insert = { kind: 'spooled', tenant, spool };
            spooled.set(tenant, insert);
          }
          const written = insert.spool.add(rows, traceSpanRows);
          if (written) await written;
        } else addBuffered(buffered, decoded);
        // The otel_traces rows count, not the copy's (another ~0.6–0.9 of their size): a flush
        // holds as many spans as before the copy was in the log, and larger inserts cost the
        // engine less CPU a span (bench/RESULTS.md).
        bytes += rows.length;
        logBytes += record.payload.length;
        if (bytes >= this.config.flushMaxBytes) break;
      }
      for (const insert of spooled.values()) await insert.spool.finish();
    } catch (error) {
      await removeSpools({ inserts: [...spooled.values()] });
      throw error;
    }
    const inserts = [...buffered.values(), ...spooled.values()];
    if (first === undefined) return undefined;
    if (bytes > 0) this.logBytesPerRowByte = logBytes / bytes;
    return { range: { first, end, insertId: `tracehouse-flush-${flushId}` }, inserts, logBytes };
  }

  /** Inserts the service graph rows made so far (tests; the recorder's timer does it otherwise). */
  flushServiceGraph(): Promise<void> {
    return this.serviceGraph?.flush() ?? Promise.resolve();
  }

  /**
   * Stops the timer, flushes what the log holds (if ClickHouse answers), inserts the service
   * graph rows (every waiting span expired), closes the log.
   */
  async shutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    clearTimeout(this.timer);
    for (const detach of this.detachGauges.splice(0)) detach();
    await this.flushing;
    try {
      await this.flushAll();
    } catch (error) {
      this.logger.warn(
        { err: error },
        'final flush failed; the write-ahead log keeps the spans for the next start',
      );
    }
    // Files read ahead for a flush that will not run now (the final flush failed).
    const ahead = this.readAhead;
    this.readAhead = undefined;
    if (ahead) await discardReadAhead(ahead);
    try {
      await this.serviceGraph?.shutdown();
    } catch {
      // Logged by the recorder; the edges of the last seconds are lost (README: service graph).
    }
    await this.wal.close();
  }
}

/** Adds a record's rows to its tenant's and layout's group in `groups`; returns that group. */
function addBuffered(groups: Map<string, BufferedInsert>, record: StoreRecord): BufferedInsert {
  const { tenant, format, rows, traceSpanRows } = record;
  const key = `${format}/${traceSpanRows === undefined ? 'view' : 'copy'}/${tenant}`;
  let group = groups.get(key);
  if (!group) {
    group = {
      kind: 'buffered',
      tenant,
      format,
      rows: [],
      rowBytes: 0,
      parts: 0,
      replayed: { spans: 0, missingSpans: 0, missingTraceSpans: 0 },
    };
    if (traceSpanRows !== undefined) group.traceSpanRows = [];
    groups.set(key, group);
  }
  group.rows.push(rows);
  if (traceSpanRows !== undefined) group.traceSpanRows?.push(traceSpanRows);
  group.rowBytes += rows.length;
  return group;
}

/** Deletes a flush's spool files (those of its new range's rows). */
async function removeSpools(read: Pick<PendingFlush, 'inserts'>): Promise<void> {
  await Promise.all(
    read.inserts.map((insert) => (insert.kind === 'spooled' ? insert.spool.remove() : Promise.resolve())),
  );
}

/** Removes the files of a range read ahead that will not be inserted; a failed read left none. */
async function discardReadAhead(ahead: ReadAhead): Promise<void> {
  const read = await ahead.read.catch(() => undefined);
  if (read) await removeSpools(read).catch(() => undefined);
}

/** Throttling (429 / RESOURCE_EXHAUSTED), as issue 3 asks of a full log: the sender must slow down. */
function logFullError(batch: string): RetryableError {
  return new RetryableError(
    `the store is behind: its write-ahead log is full (${batch} would pass its cap)`,
    1000,
    { throttle: true },
  );
}
