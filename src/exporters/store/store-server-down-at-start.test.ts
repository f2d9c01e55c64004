import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClickHouseHttpOverChdb } from '../../../test/support/clickhouse-http-over-chdb.js';
import { startClickHouseHttpOverChdb } from '../../../test/support/clickhouse-http-over-chdb.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';
import { pino } from 'pino';
import { ServerDriver } from '../../store/driver/server-driver.js';
import { TraceStore } from '../../store/trace-store.js';
import { WriteAheadLog } from '../../wal/write-ahead-log.js';
import { StoreExporter } from './store-exporter.js';

/*
 * A ClickHouse server that is down when Tracehouse starts: start-up goes on, spans are acknowledged
 * into the log, and once the server answers the flusher creates the database and stores them.
 */

const dir = mkdtempSync(join(tmpdir(), 'tracehouse-down-at-start-'));
let server: ClickHouseHttpOverChdb | undefined;
let exporter: StoreExporter | undefined;
let driver: ServerDriver | undefined;

afterAll(async () => {
  await exporter?.shutdown();
  await driver?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A port nothing listens on now, for the server to take later. */
async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

describe('a ClickHouse server down at start', () => {
  it('does not stop start-up; what was acknowledged meanwhile is stored once it answers', async () => {
    const port = await freePort();
    driver = new ServerDriver({
      url: `http://127.0.0.1:${port}`,
      username: 'tracehouse',
      password: 'secret',
      database: 'default',
      requestTimeoutMs: 5000,
    });
    const store = new TraceStore(driver, { retentionSeconds: 0 });
    const walDir = join(dir, 'wal');
    const wal = await WriteAheadLog.open({ dir: walDir });
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    exporter = new StoreExporter(
      store,
      wal,
      { flushIntervalMs: 50, flushMaxBytes: 1024 * 1024, stateDir: walDir },
      logger,
    );
    await exporter.start();
    expect(lines.join('')).toContain('ClickHouse is unreachable at start');

    const traceId = 'd0'.repeat(16);
    await exporter.consumeTraces(oneSpanRequest({ traceId }), { tenant: 'single-tenant' });
    server = await startClickHouseHttpOverChdb({ dataDir: join(dir, 'server'), port });
    await expect
      .poll(async () => (await store.getTrace('single-tenant', traceId))?.length ?? 0, { timeout: 20_000 })
      .toBe(1);
  });
});
