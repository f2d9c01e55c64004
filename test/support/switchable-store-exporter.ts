import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoreExporterConfig } from '../../src/exporters/store/store-exporter.js';
import { StoreExporter } from '../../src/exporters/store/store-exporter.js';
import { silentLogger } from '../../src/logging/logger.js';
import { EmbeddedDriver } from '../../src/store/driver/embedded-driver.js';
import type { TraceStoreOptions } from '../../src/store/trace-store.js';
import { TraceStore } from '../../src/store/trace-store.js';
import type { WalOptions } from '../../src/wal/wal-types.js';
import { WriteAheadLog } from '../../src/wal/write-ahead-log.js';
import { SwitchableDriver } from './switchable-driver.js';

export interface SwitchableStoreExporter {
  driver: SwitchableDriver;
  store: TraceStore;
  wal: WriteAheadLog;
  exporter: StoreExporter;
  /** The temporary folder: the engine's data, and the log with the flush state in `wal/`. */
  dir: string;
  /** Shuts the exporter down, closes the engine and removes the temporary folder. */
  close: () => Promise<void>;
}

/**
 * Test support: a started store exporter over the real embedded engine behind a SwitchableDriver
 * (inserts can be failed or held), its log and flush intent in a new temporary folder.
 */
export async function openSwitchableStoreExporter(
  name: string,
  config: Omit<StoreExporterConfig, 'stateDir'>,
  walOptions: Omit<WalOptions, 'dir'> = {},
  storeOptions: Partial<TraceStoreOptions> = {},
): Promise<SwitchableStoreExporter> {
  const dir = mkdtempSync(join(tmpdir(), `tracehouse-${name}-`));
  const driver = new SwitchableDriver(await EmbeddedDriver.open(dir));
  const store = new TraceStore(driver, { retentionSeconds: 0, ...storeOptions });
  const walDir = join(dir, 'wal');
  const wal = await WriteAheadLog.open({ dir: walDir, ...walOptions });
  const exporter = new StoreExporter(store, wal, { ...config, stateDir: walDir }, silentLogger());
  await exporter.start();
  return {
    driver,
    store,
    wal,
    exporter,
    dir,
    close: async () => {
      await exporter.shutdown();
      await driver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
