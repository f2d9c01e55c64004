import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { serviceGraphRowsDropped } from '../observability/self-metrics.js';
import { EmbeddedDriver } from '../store/driver/embedded-driver.js';
import { TraceStore } from '../store/trace-store.js';
import { exampleSystem } from '../../test/support/example-system-fixture.js';
import { resolveServiceGraphOptions } from './service-graph-options.js';
import { ServiceGraphRecorder } from './service-graph-recorder.js';
import { SwitchableDriver } from '../../test/support/switchable-driver.js';

let dir: string;
let driver: SwitchableDriver;
let store: TraceStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-recorder-'));
  driver = new SwitchableDriver(await EmbeddedDriver.open(dir));
  store = new TraceStore(driver, { retentionSeconds: 0 });
}, 60_000);

afterAll(async () => {
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

async function rows(tenant: string): Promise<number> {
  const [row] = await driver.query<{ n: string }>(
    `SELECT toString(count()) AS n FROM \`${await store.database(tenant)}\`.tracehouse_service_graph_edges`,
  );
  return Number(row.n);
}

describe('ServiceGraphRecorder', () => {
  it('keeps the rows of a failed insert and inserts them with the next flush', async () => {
    const recorder = new ServiceGraphRecorder(store, resolveServiceGraphOptions(), silentLogger());
    await store.database('kept');
    recorder.record('kept', exampleSystem().data);
    driver.down = true;
    await expect(recorder.flush()).rejects.toThrow('Connection refused');
    driver.down = false;
    await recorder.flush();
    // 11 roots (one legacy) + 10 user-service + 5 consumers + 1 audit.
    expect(await rows('kept')).toBe(27);
    await recorder.shutdown();
    expect(await rows('kept')).toBe(27);
  });

  it('drops the oldest rows past maxBufferedBytes while inserts fail, and counts them', async () => {
    const recorder = new ServiceGraphRecorder(
      store,
      resolveServiceGraphOptions({ maxBufferedBytes: 1 }),
      silentLogger(),
    );
    await store.database('dropped');
    const before = serviceGraphRowsDropped.get({ tenant: 'dropped' });
    driver.down = true;
    recorder.record('dropped', exampleSystem().data);
    await expect(recorder.flush()).rejects.toThrow();
    expect(serviceGraphRowsDropped.get({ tenant: 'dropped' }) - before).toBe(27);
    driver.down = false;
    await recorder.shutdown();
    expect(await rows('dropped')).toBe(0);
  });

  it('pairs nothing after shutdown', async () => {
    const recorder = new ServiceGraphRecorder(store, resolveServiceGraphOptions(), silentLogger());
    await recorder.shutdown();
    recorder.record('late', exampleSystem().data);
    await recorder.flush();
    expect(await rows('late')).toBe(0);
  });
});
