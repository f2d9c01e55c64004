import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import { serviceGraphFromEdges } from '../../query/service-graph-edges.js';
import { serviceGraphFromJoin } from '../../query/service-graph-join.js';
import type { ServiceGraphOptions } from '../../servicegraph/service-graph-options.js';
import { EmbeddedDriver } from '../../store/driver/embedded-driver.js';
import { TraceStore } from '../../store/trace-store.js';
import { WriteAheadLog } from '../../wal/write-ahead-log.js';
import { exampleSystem, hostileSystem } from '../../../test/support/example-system-fixture.js';
import { StoreExporter } from './store-exporter.js';

/*
 * Spans into the store exporter → service graph rows in the tenant's
 * tracehouse_service_graph_edges: after the service graph's flush interval, and at shutdown for
 * what is still waiting. One engine for the file (chdb's rule); each exporter has its own log.
 */
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
): Promise<StoreExporter> {
  const walDir = join(dir, name);
  const wal = await WriteAheadLog.open({
    dir: walDir,
    segmentMaxBytes: 1024 * 1024,
    maxTotalBytes: 8 * 1024 * 1024,
  });
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
});
