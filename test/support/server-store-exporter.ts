import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll } from 'vitest';
import type { StoreExporterConfig } from '../../src/exporters/store/store-exporter.js';
import { StoreExporter } from '../../src/exporters/store/store-exporter.js';
import { ServerDriver } from '../../src/store/driver/server-driver.js';
import { TraceStore } from '../../src/store/trace-store.js';
import { WriteAheadLog } from '../../src/wal/write-ahead-log.js';
import type { ClickHouseHttpOverChdb } from './clickhouse-http-over-chdb.js';

export interface ServerStoreExporter {
  readonly driver: ServerDriver;
  readonly store: TraceStore;
  readonly wal: WriteAheadLog;
  readonly exporter: StoreExporter;
  /** The exporter's log lines at warn and above, as written. */
  readonly lines: string[];
}

/**
 * A store exporter over the server driver: a ClickHouse server at `url` (the test server's
 * credentials), its log in `<dir>/wal`, retention 0. Not started: the caller starts it.
 */
export async function serverStoreExporter(
  url: string,
  dir: string,
  config: Omit<StoreExporterConfig, 'stateDir'>,
): Promise<ServerStoreExporter> {
  const driver = new ServerDriver({
    url,
    username: 'tracehouse',
    password: 'secret',
    database: 'default',
    requestTimeoutMs: 10_000,
  });
  const store = new TraceStore(driver, { retentionSeconds: 0 });
  const walDir = join(dir, 'wal');
  const wal = await WriteAheadLog.open({ dir: walDir });
  const lines: string[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
  const exporter = new StoreExporter(store, wal, { ...config, stateDir: walDir }, logger);
  return { driver, store, wal, exporter, lines };
}

/**
 * A temporary folder for the calling file, and an afterAll that stops what `keep` was given — the
 * exporter, then its driver, then the test server — and removes the folder.
 */
export function useServerStoreFolder(prefix: string): {
  readonly dir: string;
  keep: (parts: { exporter?: StoreExporter; driver?: ServerDriver; server?: ClickHouseHttpOverChdb }) => void;
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const kept: { exporter?: StoreExporter; driver?: ServerDriver; server?: ClickHouseHttpOverChdb } = {};
  afterAll(async () => {
    await kept.exporter?.shutdown();
    await kept.driver?.close();
    await kept.server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { dir, keep: (parts) => Object.assign(kept, parts) };
}
