import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RetryableError } from '../../consumer/errors.js';
import { silentLogger } from '../../logging/logger.js';
import type { TracesData } from '../../model/span.js';
import { FanoutConsumer } from '../../pipeline/fanout-consumer.js';
import { serviceGraphFromEdges } from '../../query/service-graph-edges.js';
import { serviceGraphFromJoin } from '../../query/service-graph-join.js';
import type { ServiceGraphOptions } from '../../servicegraph/service-graph-options.js';
import { deliverTraces } from '../../receivers/shared/deliver-traces.js';
import { EmbeddedDriver } from '../../store/driver/embedded-driver.js';
import { TraceStore } from '../../store/trace-store.js';
import { WalWriteError } from '../../wal/wal-errors.js';
import { WriteAheadLog } from '../../wal/write-ahead-log.js';
import { exampleSystem, hostileSystem } from '../../../test/support/example-system-fixture.js';
import { StoreExporter } from './store-exporter.js';

/*
 * Spans into the store exporter → service graph rows in the tenant's
 * tracehouse_service_graph_edges: after the service graph's flush interval, and at shutdown for
 * what is still waiting. One engine for the file (chdb's rule); each exporter has its own log.
 */
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

let dir: string;
let driver: EmbeddedDriver;
let store: TraceStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-store-service-graph-'));
  driver = await EmbeddedDriver.open(dir);
  store = new TraceStore(driver, { retentionSeconds: 0 });
}, 60_000);

afterAll(async () => {
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openExporter(
  name: string,
  serviceGraph: Partial<ServiceGraphOptions>,
  /** Changes the log before the exporter gets it (to hold or fail its appends). */
  adjustLog?: (wal: WriteAheadLog) => void,
): Promise<StoreExporter> {
  const walDir = join(dir, name);
  const wal = await WriteAheadLog.open({
    dir: walDir,
    segmentMaxBytes: 1024 * 1024,
    maxTotalBytes: 8 * 1024 * 1024,
  });
  adjustLog?.(wal);
  const exporter = new StoreExporter(
    store,
    wal,
    { flushIntervalMs: 100, flushMaxBytes: 1024 * 1024, stateDir: walDir, serviceGraph },
    silentLogger(),
  );
  await exporter.start();
  return exporter;
}

async function edgeRows(tenant: string): Promise<number> {
  const [row] = await driver.query<{ n: string }>(
    `SELECT toString(count()) AS n FROM \`${await store.database(tenant)}\`.tracehouse_service_graph_edges`,
  );
  return Number(row.n);
}

async function waitFor(check: () => Promise<boolean>, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('store exporter → service graph edges', () => {
  it('inserts the rows after the flush interval, per tenant, equal to the join of the stored spans', async () => {
    const exporter = await openExporter('timed', { flushIntervalMs: 200, waitMs: 300 });
    try {
      const system = exampleSystem();
      // One service's batch at a time, as separate processes would send them.
      for (const rs of system.data) await exporter.consumeTraces([rs], { tenant: 'graph-a' });
      await exporter.consumeTraces(hostileSystem(), { tenant: 'graph-b' });
      // 10 traces: 10 roots + 10 user-service + 5 consumers + 1 audit (other) + the legacy root.
      await waitFor(async () => (await edgeRows('graph-a')) === 27, 5000);
      await exporter.flushAll();
      for (const edges of ['entry-spans', 'all-spans'] as const)
        for (const tenant of ['graph-a', 'graph-b']) {
          const request = { range: system.range, edges };
          const fromEdges = await serviceGraphFromEdges(store, tenant, request);
          expect(fromEdges).toBeDefined();
          expect(fromEdges).toEqual(await serviceGraphFromJoin(store, tenant, request));
        }
      // Tenants apart: the hostile trace's 9 spans are 9 rows in graph-b only.
      expect(await edgeRows('graph-b')).toBe(9);
    } finally {
      await exporter.shutdown();
    }
  });

  it('inserts what is buffered and still waiting at shutdown', async () => {
    const exporter = await openExporter('shutdown', { flushIntervalMs: 60_000, waitMs: 60_000 });
    const system = exampleSystem();
    // The server spans alone: their parents never come, so they wait until shutdown expires them.
    const users = system.data.filter((rs) => rs.resource.attributes.some((a) => a.value === 'user-service'));
    await exporter.consumeTraces(users, { tenant: 'graph-c' });
    await exporter.flushAll();
    expect(await edgeRows('graph-c')).toBe(0);
    await exporter.shutdown();
    await exporter.shutdown();
    const graph = await serviceGraphFromEdges(store, 'graph-c', { range: system.range });
    expect(graph).toEqual({
      edges: [],
      nodes: [{ service: 'user-service', requestCount: 10, errorCount: 1 }],
    });
  });

  it('pairs a batch only once the log has it: a refused batch is not paired', async () => {
    let failNext = true;
    const exporter = await openExporter('refused', { flushIntervalMs: 60_000, waitMs: 60_000 }, (wal) => {
      const append = wal.append.bind(wal);
      wal.append = (payload) => {
        if (!failNext) return append(payload);
        failNext = false;
        return Promise.reject(new WalWriteError(join(dir, 'refused'), 'append', new Error('disk gone')));
      };
    });
    const system = exampleSystem();
    await expect(exporter.consumeTraces(system.data, { tenant: 'graph-d' })).rejects.toThrow(RetryableError);
    // The sender retries: had the refused copy been paired, its parents would pair the retry's
    // children a second time (and its entry spans would be counted twice).
    await exporter.consumeTraces(system.data, { tenant: 'graph-d' });
    await exporter.shutdown();
    expect(await edgeRows('graph-d')).toBe(27);
    const request = { range: system.range };
    expect(await serviceGraphFromEdges(store, 'graph-d', request)).toEqual(
      await serviceGraphFromJoin(store, 'graph-d', request),
    );
  });

  it('acknowledges a batch only once its append resolves, without keeping the batch reachable meanwhile', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const exporter = await openExporter('held', { flushIntervalMs: 60_000, waitMs: 60_000 }, (wal) => {
      const append = wal.append.bind(wal);
      wal.append = (payload) => held.then(() => append(payload));
    });
    // The receivers' path: deliverTraces → fan-out → exporter.
    const next = new FanoutConsumer([exporter]);
    let acknowledged = false;
    let batch: TracesData | undefined = exampleSystem().data;
    const batchRef = new WeakRef(batch);
    const delivered = deliverTraces(batch, next, { tenant: 'graph-e' }, 'test').then(() => {
      acknowledged = true;
    });
    batch = undefined;
    await new Promise((resolve) => setTimeout(resolve, 20));
    gc();
    expect(acknowledged).toBe(false);
    // Encoded and prepared for pairing: nothing on the way holds the decoded batch any longer.
    expect(batchRef.deref()).toBeUndefined();
    release();
    await delivered;
    expect(acknowledged).toBe(true);
    await exporter.shutdown();
    expect(await edgeRows('graph-e')).toBe(27);
  });
});
