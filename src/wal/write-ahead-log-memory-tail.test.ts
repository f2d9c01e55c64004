import { describe, expect, it } from 'vitest';
import type { WalFileSystem } from './wal-file-system.js';
import { nodeFileSystem } from './wal-file-system.js';
import { readAll, record, useTempLogDir } from './wal.test-support.js';
import { WriteAheadLog } from './write-ahead-log.js';

const { dir: logDir, withLog } = useTempLogDir();

/** The real file system, counting the segment files opened for reading. */
function readCountingFileSystem(): { fs: WalFileSystem; reads: () => number } {
  let reads = 0;
  const fs: WalFileSystem = {
    ...nodeFileSystem,
    openFile(path, mode) {
      // Segment files only (the checkpoint is read at open).
      if (mode === 'read' && !path.endsWith('checkpoint')) reads++;
      return nodeFileSystem.openFile(path, mode);
    },
  };
  return { fs, reads: () => reads };
}

describe('WriteAheadLog memory tail', () => {
  it('hands a reader the records appended since the flushed position without reading the files', async () => {
    const { fs, reads } = readCountingFileSystem();
    await withLog({ fileSystem: fs, memoryTailBytes: 10_000 }, async (log) => {
      const appended = [record(0), record(1), record(2)];
      await Promise.all(appended.map((p) => log.append(p)));
      const read = await readAll(log);
      expect(read.map((r) => r.position)).toEqual([0, 1, 2]);
      // The very buffers appended: nothing was read back or copied.
      read.forEach((r, i) => expect(r.payload).toBe(appended[i]));
      expect(reads()).toBe(0);
      expect(log.stats().memoryTailBytes).toBe(300);
      await log.commitFlushed(2);
      expect(log.stats().memoryTailBytes).toBe(100);
      expect((await readAll(log)).map((r) => r.position)).toEqual([2]);
      expect(reads()).toBe(0);
    });
  });

  it('reads from disk what did not fit, then from memory again, at exact positions', async () => {
    const { fs, reads } = readCountingFileSystem();
    await withLog({ fileSystem: fs, memoryTailBytes: 250, segmentMaxBytes: 1000 }, async (log) => {
      // 0 and 1 fit; 2 does not, and 3 (smaller) may not continue the run past the hole.
      const appended = [record(0, 100), record(1, 100), record(2, 100), record(3, 20)];
      for (const payload of appended) await log.append(payload);
      expect(log.stats().memoryTailBytes).toBe(200);
      const read = await readAll(log);
      expect(read.map((r) => [r.position, r.payload.length])).toEqual([
        [0, 100],
        [1, 100],
        [2, 100],
        [3, 20],
      ]);
      // The first two are the appended buffers themselves, the others were read back.
      expect(read.map((r, i) => r.payload === appended[i])).toEqual([true, true, false, false]);
      expect(read[3].payload).toEqual(record(3, 20));
      expect(reads()).toBe(1);
      // Once the run is released, the next commit starts a new one; 2 and 3 stay on disk only.
      await log.commitFlushed(2);
      expect(log.stats().memoryTailBytes).toBe(0);
      const fourth = record(4, 50);
      await log.append(fourth);
      const before = reads();
      const rest = await readAll(log);
      expect(rest.map((r) => r.position)).toEqual([2, 3, 4]);
      expect(rest[2].payload).toBe(fourth);
      // The disk read stops where memory takes over.
      expect(reads() - before).toBe(1);
    });
  });

  it('starts no new run while the reader is further behind than the budget', async () => {
    await withLog({ memoryTailBytes: 250, segmentMaxBytes: 10_000 }, async (log) => {
      for (let i = 0; i < 5; i++) await log.append(record(i, 100));
      expect(log.stats().memoryTailBytes).toBe(200); // 0 and 1
      // The run is released, but 2, 3 and 4 (300 bytes and more) wait on disk: a run started now
      // would sit in memory until the reader got past them.
      await log.commitFlushed(2);
      const fifth = record(5, 100);
      await log.append(fifth);
      expect(log.stats().memoryTailBytes).toBe(0);
      // Caught up to within the budget: the next commit starts a run again.
      await log.commitFlushed(5);
      const sixth = record(6, 100);
      await log.append(sixth);
      expect(log.stats().memoryTailBytes).toBe(100);
      const rest = await readAll(log);
      expect(rest.map((r) => r.position)).toEqual([5, 6]);
      expect(rest[0].payload).not.toBe(fifth);
      expect(rest[0].payload).toEqual(fifth);
      expect(rest[1].payload).toBe(sixth);
    });
  });

  it('keeps nothing by default, and a reopened log replays from disk', async () => {
    const { fs, reads } = readCountingFileSystem();
    await withLog({ fileSystem: fs }, async (log) => {
      await log.append(record(0));
      expect(log.stats().memoryTailBytes).toBe(0);
      expect((await readAll(log)).map((r) => r.payload)).toEqual([record(0)]);
      expect(reads()).toBe(1);
    });
    await withLog({ fileSystem: fs, memoryTailBytes: 10_000 }, async (log) => {
      expect((await readAll(log)).map((r) => r.payload)).toEqual([record(0)]);
      expect(reads()).toBe(2);
    });
  });

  it('rejects a negative budget', async () => {
    await expect(WriteAheadLog.open({ dir: logDir(), memoryTailBytes: -1 })).rejects.toThrow(
      'memoryTailBytes must be an integer of 0 or more',
    );
  });
});
