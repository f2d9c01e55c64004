import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useFixtureStore } from '../../../test/support/fixture-store.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';
import { nodeFileSystem } from '../../wal/wal-file-system.js';
import type { WalFileSystem } from '../../wal/wal-file-system.js';
import { WriteAheadLog } from '../../wal/write-ahead-log.js';
import { StoreExporter } from './store-exporter.js';

/*
 * A disk full when Tracehouse starts: the log's records are stored by the replay at start, but
 * the checkpoint after it cannot be written. Start-up goes on (it used to exit, at every start,
 * while the disk stayed full); the flusher retries, and once there is room the checkpoint moves
 * and nothing is stored twice.
 */

const fixture = useFixtureStore();

/** The real file system, whose new files fail with `code` (ENOSPC) while `full` is set. */
function fillableFileSystem(code = 'ENOSPC'): { fs: WalFileSystem; disk: { full: boolean } } {
  const disk = { full: false };
  const fs: WalFileSystem = {
    ...nodeFileSystem,
    async openFile(path, mode) {
      if (disk.full && (mode === 'create' || mode === 'replace'))
        throw Object.assign(new Error(`${code}: simulated, open '${path}'`), { code });
      return nodeFileSystem.openFile(path, mode);
    },
  };
  return { fs, disk };
}

async function stored(tenant: string): Promise<string> {
  const db = await fixture.store.database(tenant);
  return (
    await fixture.driver.text(`SELECT count(), uniqExact(TraceId, SpanId) FROM {db:Identifier}.otel_traces`, {
      db,
    })
  ).trim();
}

describe('a disk full at start', () => {
  it('does not stop start-up; the checkpoint moves once there is room, each span stored once', async () => {
    const tenant = 'full-disk';
    const walDir = join(fixture.dir, 'wal');
    const config = { flushIntervalMs: 50, flushMaxBytes: 1024 * 1024, stateDir: walDir };
    const first = await WriteAheadLog.open({ dir: walDir });
    const writer = new StoreExporter(
      fixture.store,
      first,
      { ...config, flushIntervalMs: 600_000 },
      pino({ level: 'silent' }),
    );
    for (let i = 0; i < 4; i++)
      await writer.consumeTraces(oneSpanRequest({ traceId: `${i + 1}`.repeat(32) }), { tenant });
    await first.close(); // a crash: nothing flushed

    const { fs, disk } = fillableFileSystem();
    const wal = await WriteAheadLog.open({ dir: walDir, fileSystem: fs });
    disk.full = true;
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => void lines.push(line) });
    const exporter = new StoreExporter(fixture.store, wal, config, logger);
    try {
      await exporter.start();
      expect(lines.join('')).toContain('ENOSPC');
      expect(await stored(tenant)).toBe('4\t4');
      expect(wal.stats().flushedPosition).toBe(0);
      disk.full = false;
      await expect.poll(() => wal.stats().flushedPosition, { timeout: 20_000 }).toBe(4);
      expect(await stored(tenant)).toBe('4\t4');
    } finally {
      await exporter.shutdown();
    }
  }, 60_000);

  it('a folder that cannot be written (EACCES) still stops start-up: it would never pass', async () => {
    const tenant = 'not-writable';
    const walDir = join(fixture.dir, 'wal-not-writable');
    const first = await WriteAheadLog.open({ dir: walDir });
    const writer = new StoreExporter(
      fixture.store,
      first,
      { flushIntervalMs: 600_000, flushMaxBytes: 1024 * 1024, stateDir: walDir },
      pino({ level: 'silent' }),
    );
    await writer.consumeTraces(oneSpanRequest({ traceId: '9'.repeat(32) }), { tenant });
    await first.close();
    const { fs, disk } = fillableFileSystem('EACCES');
    const wal = await WriteAheadLog.open({ dir: walDir, fileSystem: fs });
    disk.full = true;
    const exporter = new StoreExporter(
      fixture.store,
      wal,
      { flushIntervalMs: 50, flushMaxBytes: 1024 * 1024, stateDir: walDir },
      pino({ level: 'silent' }),
    );
    await expect(exporter.start()).rejects.toThrow(/EACCES/);
    await wal.close();
  }, 60_000);
});
