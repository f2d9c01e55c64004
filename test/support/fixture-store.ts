import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { StoreExporter } from '../../src/exporters/store/store-exporter.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { TracesData } from '../../src/model/span.js';
import { EmbeddedDriver } from '../../src/store/driver/embedded-driver.js';
import { encodeSpanBlocks } from '../../src/store/rows/span-blocks.js';
import { TraceStore } from '../../src/store/trace-store.js';
import { WriteAheadLog } from '../../src/wal/write-ahead-log.js';

export interface FixtureStore {
  readonly store: TraceStore;
  readonly driver: EmbeddedDriver;
  /** The temporary folder; the engine's data is in its `engine/`, the rest is the test's. */
  readonly dir: string;
  /** Closes the engine and removes its folder. */
  close(): Promise<void>;
}

/**
 * An embedded engine in a fresh temporary folder (one per test file: chdb holds one data folder
 * per process), with each tenant's batch stored. Retention 0: fixtures may be dated anywhere
 * without a TTL merge dropping them mid-test.
 */
export async function openFixtureStore(data: Record<string, TracesData>): Promise<FixtureStore> {
  const dir = mkdtempSync(join(tmpdir(), 'tracehouse-fixture-'));
  const driver = await EmbeddedDriver.open(join(dir, 'engine'));
  const store = new TraceStore(driver, { retentionSeconds: 0 });
  for (const [tenant, batch] of Object.entries(data)) {
    await store.insertSpans(tenant, encodeSpanBlocks(batch));
  }
  return {
    store,
    driver,
    dir,
    close: async () => {
      await driver.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fixture store's fields, and a store exporter on it as a restarted process opens one. */
export interface UsedFixtureStore extends Omit<FixtureStore, 'close'> {
  /**
   * Opens the write-ahead log in `walDir` (its state files there too) and starts a store exporter
   * on it and the store, as a start after a crash does: the start replays what the log and the
   * flush intent leave. It flushes only when asked (its timer is a minute), up to 1 MiB at a time,
   * with no service graph.
   */
  openExporter(walDir: string, logger?: Logger): Promise<{ exporter: StoreExporter; wal: WriteAheadLog }>;
}

/**
 * Registers the calling file's beforeAll and afterAll: an empty fixture store (openFixtureStore)
 * for its tests; read its fields inside tests.
 */
export function useFixtureStore(): UsedFixtureStore {
  let opened: FixtureStore | undefined;
  beforeAll(async () => {
    opened = await openFixtureStore({});
  }, 60_000);
  afterAll(() => opened?.close());
  const get = (): FixtureStore => {
    if (!opened) throw new Error('the fixture store opens in beforeAll');
    return opened;
  };
  return {
    get store() {
      return get().store;
    },
    get driver() {
      return get().driver;
    },
    get dir() {
      return get().dir;
    },
    openExporter: async (walDir, logger = silentLogger()) => {
      const wal = await WriteAheadLog.open({ dir: walDir });
      const exporter = new StoreExporter(
        get().store,
        wal,
        {
          flushIntervalMs: 60_000,
          flushMaxBytes: 1024 * 1024,
          stateDir: walDir,
          serviceGraph: { enabled: false },
        },
        logger,
      );
      await exporter.start();
      return { exporter, wal };
    },
  };
}

export interface FixtureApp extends FixtureStore {
  /** A Fastify app with the routes under test, for `inject` (or `listen` on 127.0.0.1:0). */
  readonly app: FastifyInstance;
}

/** openFixtureStore plus a Fastify app that `register` mounts routes on; close() closes both. */
export async function openFixtureApp(
  data: Record<string, TracesData>,
  register: (app: FastifyInstance, store: TraceStore) => void,
): Promise<FixtureApp> {
  const fixture = await openFixtureStore(data);
  const app = Fastify();
  register(app, fixture.store);
  return {
    ...fixture,
    app,
    close: async () => {
      await app.close();
      await fixture.close();
    },
  };
}
