import { join } from 'node:path';
import { StoreExporter } from '../exporters/store/store-exporter.js';
import type { Logger } from '../logging/logger.js';
import { EmbeddedDriver } from '../store/driver/embedded-driver.js';
import { TraceStore } from '../store/trace-store.js';
import { WriteAheadLog } from '../wal/write-ahead-log.js';

export interface EmbeddedStoreConfig {
  dataDir: string;
  retentionSeconds: number;
  walMaxBytes: number;
  flushIntervalMs: number;
}

export interface OpenedStore {
  store: TraceStore;
  exporter: StoreExporter;
  /** Closes the engine; call after the exporter has shut down (its last flush needs it). */
  close(): Promise<void>;
}

/** The all-in-one storage: chdb under `<data>/clickhouse`, the write-ahead log under `<data>/wal`. */
export async function openEmbeddedStore(config: EmbeddedStoreConfig, logger: Logger): Promise<OpenedStore> {
  const driver = await EmbeddedDriver.open(config.dataDir);
  try {
    const store = new TraceStore(driver, { retentionSeconds: config.retentionSeconds });
    const walDir = join(config.dataDir, 'wal');
    const segmentMaxBytes = Math.min(
      64 * 1024 * 1024,
      Math.max(1024 * 1024, Math.floor(config.walMaxBytes / 4)),
    );
    const wal = await WriteAheadLog.open({ dir: walDir, maxTotalBytes: config.walMaxBytes, segmentMaxBytes });
    const exporter = new StoreExporter(
      store,
      wal,
      {
        flushIntervalMs: config.flushIntervalMs,
        flushMaxBytes: Math.max(segmentMaxBytes, 8 * 1024 * 1024),
        stateDir: walDir,
      },
      logger,
    );
    return { store, exporter, close: () => driver.close() };
  } catch (error) {
    await driver.close();
    throw error;
  }
}
