import { mkdtempSync, rmSync } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { oneSpanRequest } from '../../test/support/one-span-request.js';
import type { OpenedStore } from './open-embedded-store.js';
import { openEmbeddedStore } from './open-embedded-store.js';

/*
 * Damage a flush finds in the write-ahead log after it was opened (a segment changed on disk) is
 * logged, as damage found at open is: before, its records were skipped without a word.
 */

const dir = mkdtempSync(join(tmpdir(), 'tracehouse-wal-damage-'));
let opened: OpenedStore | undefined;

afterAll(async () => {
  await opened?.exporter.shutdown();
  await opened?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('write-ahead log damage found while the store runs', () => {
  it('is logged as an error, and the records around it are still stored', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    // No memory tail and a slow timer: the flush reads the records back from disk when asked.
    opened = await openEmbeddedStore(
      {
        dataDir: dir,
        retentionSeconds: 0,
        walMaxBytes: 64 * 1024 * 1024,
        walMemoryBytes: 0,
        flushIntervalMs: 60_000,
      },
      logger,
    );
    await opened.exporter.start();
    const traceIds = ['d1', 'd2', 'd3'].map((p) => p.repeat(16));
    for (const traceId of traceIds)
      await opened.exporter.consumeTraces(oneSpanRequest({ traceId }), { tenant: 'single-tenant' });
    const walDir = join(dir, 'wal');
    const [segment] = (await readdir(walDir)).filter((name) => name.endsWith('.wal'));
    const file = await open(join(walDir, segment), 'r+');
    try {
      const { size } = await file.stat();
      // A byte in the middle of the second of three equal records.
      await file.write(
        Buffer.from([0xff ^ (await byteAt(file, Math.floor(size / 2)))]),
        0,
        1,
        Math.floor(size / 2),
      );
    } finally {
      await file.close();
    }
    await opened.exporter.flushAll();
    expect(lines.join('')).toContain('write-ahead log damage found while reading it');
    expect(await opened.store.getTrace('single-tenant', traceIds[0])).toBeDefined();
    expect(await opened.store.getTrace('single-tenant', traceIds[2])).toBeDefined();
  });
});

async function byteAt(file: FileHandle, position: number): Promise<number> {
  const buffer = Buffer.alloc(1);
  await file.read(buffer, 0, 1, position);
  return buffer[0];
}
