import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningTracehouse } from '../../src/app/all-in-one.js';
import { startAllInOne } from '../../src/app/all-in-one.js';
import { loopbackAllInOneConfig } from '../../src/app/loopback-config.js';
import { openEmbeddedStore } from '../../src/app/open-embedded-store.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { OtlpTrace } from './trace-tree.js';

export interface TracehouseWithStore {
  running: RunningTracehouse;
  /** `http://127.0.0.1:port`: the OTLP/HTTP base the services' exporters are pointed at. */
  otlpHttpBase: string;
  apiBase: string;
  /** `GET /api/traces/<id>`: the trace as OTLP/JSON, or undefined on 404. */
  getTrace: (traceId: string) => Promise<OtlpTrace | undefined>;
  stop(): Promise<void>;
}

/**
 * Tracehouse all-in-one in this (test) process, on free loopback ports, with the embedded engine
 * in a fresh temporary folder (one per test file: chdb allows one data folder per process) and a
 * short flush interval so traces are readable soon after they arrive.
 */
export async function startTracehouseWithStore(): Promise<TracehouseWithStore> {
  const dir = mkdtempSync(join(tmpdir(), 'tracehouse-examples-'));
  const storage = await openEmbeddedStore(
    { dataDir: dir, retentionSeconds: 0, walMaxBytes: 64 * 1024 * 1024, flushIntervalMs: 200 },
    silentLogger(),
  );
  const running = await startAllInOne(
    loopbackAllInOneConfig({ store: storage.store }),
    [storage.exporter],
    silentLogger(),
  );
  const otlpHttp = running.receivers.find((r) => r.component === 'otlp-http');
  if (!otlpHttp) throw new Error('no otlp-http receiver');
  const apiBase = `http://${running.api.address()}`;
  return {
    running,
    otlpHttpBase: `http://${otlpHttp.address()}`,
    apiBase,
    getTrace: async (traceId) => {
      const response = await fetch(`${apiBase}/api/traces/${traceId}`);
      if (response.status === 404) return undefined;
      if (!response.ok)
        throw new Error(`GET /api/traces/${traceId}: ${response.status} ${await response.text()}`);
      return (await response.json()) as OtlpTrace;
    },
    stop: async () => {
      await running.shutdown();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
