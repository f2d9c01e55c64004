import { join } from 'node:path';
import { StoreExporter } from '../exporters/store/store-exporter.js';
import { limitStorableTimes } from '../model/storable-times.js';
import type { Logger } from '../logging/logger.js';
import type { ServiceGraphOptions } from '../servicegraph/service-graph-options.js';
import type { ClickHouseDriver } from '../store/driver/clickhouse-driver.js';
import { EmbeddedDriver } from '../store/driver/embedded-driver.js';
import { ServerDriver } from '../store/driver/server-driver.js';
import type { StorageChoice } from '../store/driver/storage-url.js';
import type { TraceReadCacheOptions } from '../store/trace-read-cache.js';
import { TraceStore } from '../store/trace-store.js';
import { WriteAheadLog } from '../wal/write-ahead-log.js';
import { walVolumeRoom } from './wal-volume-room.js';

export interface EmbeddedStoreConfig {
  dataDir: string;
  retentionSeconds: number;
  walMaxBytes: number;
  /**
   * The newest log records' bytes also kept in memory, for the flusher (`--wal-memory-mib`).
   * Default: WAL_MEMORY_DEFAULT_BYTES; 0 reads every flush back from disk.
   */
  walMemoryBytes?: number;
  flushIntervalMs: number;
  /** Default: the embedded engine under `<data>/clickhouse`. */
  storage?: StorageChoice;
  /** Most spans one trace read returns (`--max-trace-spans`); 0 or absent: no limit. */
  maxTraceSpans?: number;
  /** The trace read cache's bounds (TraceStore's default when absent; 0 turns it off). */
  traceCache?: TraceReadCacheOptions;
  /** Service graph pairing at ingest (`--service-graph-*`); defaults when absent. */
  serviceGraph?: Partial<ServiceGraphOptions>;
  /** Writes the trace-id-ordered copy (`--trace-copy`, TraceStoreOptions.traceCopy); default true. */
  traceCopy?: boolean;
  /** `text` skip indexes for new databases (`--skip-indexes`, TraceStoreOptions.textIndexes). */
  textIndexes?: boolean;
}

/**
 * The flusher takes what was appended since the last flush from memory, not from disk: reading it
 * back allocated every record's bytes again and checked their CRCs (~1 µs of CPU a span, and V8
 * collections; bench/RESULTS.md, issue 3). A record holds a span's otel_traces row and ~0.7× as
 * much of the copy's, so this is about one flush of 64 MiB; a backlog past it is read from disk.
 */
export const WAL_MEMORY_DEFAULT_BYTES = 128 * 1024 * 1024;

export interface OpenedStore {
  store: TraceStore;
  exporter: StoreExporter;
  /** Closes the engine; call after the exporter has shut down (its last flush needs it). */
  close(): Promise<void>;
}

/**
 * The all-in-one storage: chdb under `<data>/clickhouse` or a ClickHouse server (`storage`), and in
 * both cases the write-ahead log under `<data>/wal`: what was acknowledged is on local disk first.
 * A server that is down at start is not an error: the log absorbs spans until it answers.
 */
export async function openEmbeddedStore(config: EmbeddedStoreConfig, logger: Logger): Promise<OpenedStore> {
  const storage = config.storage ?? { kind: 'embedded' };
  const driver: ClickHouseDriver =
    storage.kind === 'server' ? new ServerDriver(storage.server) : await EmbeddedDriver.open(config.dataDir);
  try {
    // Spans the TTL would drop at once are refused by the receivers instead (storable-times.ts).
    limitStorableTimes(config.retentionSeconds);
    const store = new TraceStore(driver, {
      retentionSeconds: config.retentionSeconds,
      maxTraceSpans: config.maxTraceSpans,
      traceCopy: config.traceCopy ?? true,
      textIndexes: config.textIndexes ?? false,
      logger,
      ...(config.traceCache ? { traceCache: config.traceCache } : {}),
    });
    const walDir = join(config.dataDir, 'wal');
    // Sized from the configured cap, even when the volume lowers the cap below: a smaller segment
    // would refuse (413, not retried) batches that the configured log takes, for as long as the
    // process runs, where a lowered cap answers "full" (429, retried), from one segment on.
    const segmentMaxBytes = Math.min(
      64 * 1024 * 1024,
      Math.max(1024 * 1024, Math.floor(config.walMaxBytes / 4)),
    );
    const flushMaxBytes = Math.min(segmentMaxBytes, 64 * 1024 * 1024);
    // A flush writes spool files of its rows (up to ~2x flushMaxBytes with the copy's) and the
    // next one's while it inserts, beside the log: room for four, and for the checkpoint.
    const room = await walVolumeRoom(walDir, config.walMaxBytes, 4 * flushMaxBytes + 1024 * 1024);
    const maxTotalBytes = Math.max(room.maxTotalBytes, segmentMaxBytes);
    if (room.lowered)
      logger.warn(
        { walDir, ...room.lowered },
        `the write-ahead log's volume has room for ${mib(room.lowered.roomBytes)} MiB beside what a flush writes there, ` +
          `less than --wal-max-mib ${mib(room.lowered.configured)}: the log is capped at ${mib(maxTotalBytes)} MiB, ` +
          'so that it answers "full" before its volume does',
      );
    const wal = await WriteAheadLog.open({
      dir: walDir,
      maxTotalBytes,
      segmentMaxBytes,
      memoryTailBytes: config.walMemoryBytes ?? WAL_MEMORY_DEFAULT_BYTES,
      // Damage found at open is logged by the exporter's start; this is damage a later read finds
      // (a segment changed on disk since), whose records are skipped as at open.
      onDamage: (damage) => logger.error({ damage }, 'write-ahead log damage found while reading it'),
    });
    const exporter = new StoreExporter(
      store,
      wal,
      {
        flushIntervalMs: config.flushIntervalMs,
        // The most one insert takes (~73,000 spans of ~10 attributes, ~120,000 of the example
        // system's). Larger inserts cost ClickHouse less CPU a span, merges included: fewer, larger
        // parts to write and merge (bench/RESULTS.md: 14% less at 64 MiB than at 32 under
        // overload, 15% more stored). When a flush's records were held in memory, 64 MiB took
        // peak RSS to 1.1–1.3 GiB; since they go through spool files it peaks at 0.85–0.88 GiB.
        // Below the engine's pace the timer flushes what a second brought, so inserts grow to
        // this only when ClickHouse lags.
        flushMaxBytes,
        stateDir: walDir,
        serviceGraph: config.serviceGraph,
      },
      logger,
    );
    return { store, exporter, close: () => driver.close() };
  } catch (error) {
    await driver.close();
    throw error;
  }
}

function mib(bytes: number): number {
  return Math.floor(bytes / (1024 * 1024));
}
