import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseHttpOverChdb } from '../../test/support/clickhouse-http-over-chdb.js';
import { startClickHouseHttpOverChdb } from '../../test/support/clickhouse-http-over-chdb.js';
import type { ExampleSystem } from '../../test/support/example-system-fixture.js';
import { EXAMPLE_FACTS, exampleSystem } from '../../test/support/example-system-fixture.js';
import { ServerDriver } from '../store/driver/server-driver.js';
import { encodeSpanBlocks } from '../store/rows/span-blocks.js';
import { TraceStore } from '../store/trace-store.js';
import { attributeKeys } from './attribute-keys.js';
import { operationSeries } from './operation-series.js';
import { operationStats } from './operation-stats.js';
import { serviceGraph } from './service-graph.js';
import { listOperations, listServices } from './services.js';
import { tagValues } from './tag-values.js';
import { traceStats } from './trace-stats.js';

// The same reads through @clickhouse/client and the HTTP interface (the test server on chdb):
// JSON number and array encodings, parameter binding and EXPLAIN must agree with the embedded engine.
describe('query reads over the server driver', () => {
  let dir: string;
  let server: ClickHouseHttpOverChdb;
  let driver: ServerDriver;
  let store: TraceStore;
  let system: ExampleSystem;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tracehouse-query-server-'));
    server = await startClickHouseHttpOverChdb({ dataDir: dir });
    driver = new ServerDriver({
      url: server.url,
      username: server.username,
      password: server.password,
      database: 'default',
      requestTimeoutMs: 10_000,
    });
    store = new TraceStore(driver, { retentionSeconds: 0 });
    system = exampleSystem();
    await store.insertSpans('tenant-a', encodeSpanBlocks(system.data));
  });
  afterAll(async () => {
    await driver?.close();
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers as the embedded engine does', async () => {
    const range = system.range;
    expect(await listServices(store, 'tenant-a', range)).toEqual(EXAMPLE_FACTS.services);
    expect(await listOperations(store, 'tenant-a', range)).toHaveLength(EXAMPLE_FACTS.operations.length);
    const keys = await attributeKeys(store, 'tenant-a', { range, scopes: ['span', 'event'] });
    expect(keys.scopes.map((s) => s.keys)).toEqual([EXAMPLE_FACTS.keys.span, EXAMPLE_FACTS.keys.event]);
    const codes = await tagValues(store, 'tenant-a', {
      range,
      scope: 'span',
      key: 'http.response.status_code',
    });
    expect(codes.values.map((v) => `${v.type}:${v.value}`)).toEqual([
      'int:200',
      'int:201',
      'int:404',
      'int:500',
      'int:504',
    ]);
    const graph = await serviceGraph(store, 'tenant-a', { range, edges: 'all-spans' });
    expect(graph.edges.map((e) => [e.server, e.requestCount, e.errorCount])).toEqual(
      EXAMPLE_FACTS.edges.map((e) => [e.server, e.requestCount, e.errorCount]),
    );
    expect(graph.nodes).toEqual(EXAMPLE_FACTS.nodes);
    const stats = await operationStats(store, 'tenant-a', range, { service: 'user-service' });
    expect(stats.map((s) => [s.spanName, s.count, s.errorCount])).toEqual([
      ['fetch_record', 10, 0],
      ['reservation_limits_handler', 10, 1],
      ['validate_username', 10, 0],
    ]);
    expect(stats[1].durationNanos.p99).toBeGreaterThan(30e6);
    const [series] = await operationSeries(store, 'tenant-a', {
      range,
      stepSeconds: 121,
      groupBy: 'service',
    });
    expect(series.points.map((p) => p.count)).toEqual([1]);
    const trace = await traceStats(store, 'tenant-a', system.traceIds[2]);
    expect([trace?.spanCount, trace?.depth, trace?.durationNanos]).toEqual([10, 4, 37_500_000n]);
  });
});
