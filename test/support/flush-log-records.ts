import { StoreExporter } from '../../src/exporters/store/store-exporter.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { TraceStore } from '../../src/store/trace-store.js';
import { WriteAheadLog } from '../../src/wal/write-ahead-log.js';

/**
 * Test support: writes `records` (store log records) into a new log in `walDir`, then starts a
 * store exporter over it — which flushes the log at start, as after a restart — and shuts it
 * down. `beforeStart` runs between the two (to leave a flush intent behind, say).
 */
export async function flushLogRecords(
  store: TraceStore,
  walDir: string,
  records: readonly Buffer[],
  beforeStart?: () => Promise<void>,
): Promise<void> {
  const wal = await WriteAheadLog.open({ dir: walDir });
  for (const record of records) await wal.append(record);
  await beforeStart?.();
  const exporter = new StoreExporter(
    store,
    wal,
    {
      flushIntervalMs: 60_000,
      flushMaxBytes: 16 * 1024 * 1024,
      stateDir: walDir,
      serviceGraph: { enabled: false },
    },
    silentLogger(),
  );
  await exporter.start();
  await exporter.shutdown();
}
