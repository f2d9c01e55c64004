import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startClickHouseHttpOverChdb } from '../../../test/support/clickhouse-http-over-chdb.js';
import { serverStoreExporter, useServerStoreFolder } from '../../../test/support/server-store-exporter.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';

/*
 * A ClickHouse server that is down when Tracehouse starts: start-up goes on, spans are acknowledged
 * into the log, and once the server answers the flusher creates the database and stores them.
 */

const { dir, keep } = useServerStoreFolder('tracehouse-down-at-start-');

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
    const opened = await serverStoreExporter(`http://127.0.0.1:${port}`, dir, {
      flushIntervalMs: 50,
      flushMaxBytes: 1024 * 1024,
    });
    keep(opened);
    const { exporter, store, lines } = opened;
    await exporter.start();
    expect(lines.join('')).toContain('ClickHouse is unreachable at start');

    const traceId = 'd0'.repeat(16);
    await exporter.consumeTraces(oneSpanRequest({ traceId }), { tenant: 'single-tenant' });
    const server = await startClickHouseHttpOverChdb({ dataDir: join(dir, 'server'), port });
    keep({ server });
    await expect
      .poll(async () => (await store.getTrace('single-tenant', traceId))?.length ?? 0, { timeout: 20_000 })
      .toBe(1);
  });
});
