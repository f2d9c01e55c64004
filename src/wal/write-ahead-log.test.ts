import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { HEADER_BYTES } from './record-framing.js';
import { WalClosedError, WalFullError, WalRecordTooLargeError } from './wal-errors.js';
import type { WalFileSystem } from './wal-file-system.js';
import { nodeFileSystem } from './wal-file-system.js';
import { readAll, record, useTempLogDir } from './wal.test-support.js';
import { WriteAheadLog } from './write-ahead-log.js';

const { dir: logDir, withLog } = useTempLogDir();

/** The real file system, counting fsyncs of data files and reads. */
function countingFileSystem(): { fs: WalFileSystem; datasyncs: () => number; reads: () => number } {
  let datasyncs = 0;
  let reads = 0;
  const fs: WalFileSystem = {
    ...nodeFileSystem,
    async openFile(path, mode) {
      const file = await nodeFileSystem.openFile(path, mode);
      return {
        writeAll: (buffers, position) => file.writeAll(buffers, position),
        read: (buffer, offset, length, position) => {
          reads++;
          return file.read(buffer, offset, length, position);
        },
        datasync: () => {
          datasyncs++;
          return file.datasync();
        },
        truncate: (length) => file.truncate(length),
        size: () => file.size(),
        close: () => file.close(),
      };
    },
  };
  return { fs, datasyncs: () => datasyncs, reads: () => reads };
}

describe('WriteAheadLog', () => {
  it('replays appended records after reopening, at the positions append returned', async () => {
    const positions = await withLog({}, async (log) => {
      const result = [];
      for (let i = 0; i < 5; i++) result.push(await log.append(record(i)));
      result.push(await log.append(Buffer.alloc(0)));
      return result;
    });
    expect(positions).toEqual([0, 1, 2, 3, 4, 5]);
    await withLog({}, async (log) => {
      expect(log.damage).toEqual([]);
      const records = await readAll(log);
      expect(records.map((r) => r.position)).toEqual(positions);
      expect(records.slice(0, 5).map((r) => r.payload)).toEqual([0, 1, 2, 3, 4].map((i) => record(i)));
      expect(records[5].payload.length).toBe(0);
      // Positions keep counting after a restart.
      expect(await log.append(record(6))).toBe(6);
    });
  });

  it('shares one write and one fsync among appends made together', async () => {
    const { fs, datasyncs } = countingFileSystem();
    await withLog({ fileSystem: fs }, async (log) => {
      const before = datasyncs();
      const positions = await Promise.all(Array.from({ length: 200 }, (_, i) => log.append(record(i))));
      expect(positions).toEqual(Array.from({ length: 200 }, (_, i) => i));
      expect(datasyncs() - before).toBe(1);
      // Appends arriving while a commit is in flight form the next group, not one fsync each.
      const waves: Promise<number>[] = [];
      for (let wave = 0; wave < 5; wave++) {
        for (let i = 0; i < 50; i++) waves.push(log.append(record(i)));
        await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(waves);
      expect(datasyncs() - before).toBeLessThanOrEqual(6);
    });
  });

  it('reads as much of a file at once as the reader asks for', async () => {
    const { fs, reads } = countingFileSystem();
    await withLog({ fileSystem: fs, segmentMaxBytes: 64 << 20 }, async (log) => {
      await Promise.all(Array.from({ length: 12 }, (_, i) => log.append(record(i, 1 << 20))));
      const count = async (readBytes?: number): Promise<{ reads: number; payloads: Buffer[] }> => {
        const before = reads();
        const payloads: Buffer[] = [];
        for await (const r of log.readFrom(0, readBytes)) payloads.push(r.payload);
        return { reads: reads() - before, payloads };
      };
      const small = await count();
      const large = await count(16 << 20);
      expect(small.reads).toBeGreaterThanOrEqual(12);
      expect(large.reads).toBe(1);
      // Buffers compared with equals(): a deep equal of 12 MiB goes byte by byte for seconds.
      expect(large.payloads.map((p, i) => p.equals(record(i, 1 << 20)))).toEqual(Array(12).fill(true));
      expect(small.payloads.map((p, i) => p.equals(record(i, 1 << 20)))).toEqual(Array(12).fill(true));
    });
  });

  it('rolls segments at segmentMaxBytes and reads across them', async () => {
    const frame = HEADER_BYTES + 100;
    await withLog({ segmentMaxBytes: frame * 3 }, async (log) => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => log.append(record(i))));
      expect((await readdir(logDir())).filter((n) => n.endsWith('.wal'))).toEqual([
        '00000000000000000000.wal',
        '00000000000000000003.wal',
        '00000000000000000006.wal',
        '00000000000000000009.wal',
      ]);
      expect(log.stats()).toMatchObject({ segments: 4, diskBytes: frame * 10, unflushedBytes: frame * 10 });
      expect((await readAll(log, 4)).map((r) => r.position)).toEqual([4, 5, 6, 7, 8, 9]);
    });
    await withLog({ segmentMaxBytes: frame * 3 }, async (log) => {
      expect((await readAll(log)).map((r) => r.payload)).toEqual(
        Array.from({ length: 10 }, (_, i) => record(i)),
      );
    });
  });

  it('refuses a record larger than a segment', async () => {
    await withLog({ segmentMaxBytes: 1000 }, async (log) => {
      await expect(log.append(Buffer.alloc(1000))).rejects.toThrow(
        new WalRecordTooLargeError(1000 + HEADER_BYTES, 1000),
      );
    });
  });

  it('replays from the checkpoint after commitFlushed and deletes flushed segments', async () => {
    const frame = HEADER_BYTES + 100;
    const options = { segmentMaxBytes: frame * 3 };
    await withLog(options, async (log) => {
      for (let i = 0; i < 10; i++) await log.append(record(i));
      await log.commitFlushed(7);
      // Segments [0,3) and [3,6) hold only flushed records; [6,9) still holds 7 and 8.
      expect((await readdir(logDir())).filter((n) => n.endsWith('.wal'))).toEqual([
        '00000000000000000006.wal',
        '00000000000000000009.wal',
      ]);
      expect(log.stats()).toMatchObject({ segments: 2, diskBytes: frame * 4, unflushedBytes: frame * 3 });
      await log.commitFlushed(3); // going back is a no-op
      expect(log.stats().flushedPosition).toBe(7);
      await expect(log.commitFlushed(11)).rejects.toThrow(RangeError);
    });
    await withLog(options, async (log) => {
      expect(log.stats().flushedPosition).toBe(7);
      expect((await readAll(log)).map((r) => r.position)).toEqual([7, 8, 9]);
      // Flushing everything deletes the active segment too; positions still continue.
      await log.commitFlushed(10);
      expect(log.stats()).toMatchObject({ segments: 0, diskBytes: 0, unflushedBytes: 0 });
    });
    await withLog(options, async (log) => {
      expect(await readAll(log)).toEqual([]);
      expect(await log.append(record(10))).toBe(10);
      expect((await readAll(log)).map((r) => r.position)).toEqual([10]);
    });
  });

  it('rejects with WalFullError at the cap and accepts again once flushed records are committed', async () => {
    const frame = HEADER_BYTES + 100;
    await withLog({ segmentMaxBytes: frame * 2, maxTotalBytes: frame * 4 }, async (log) => {
      const accepted = await Promise.all([0, 1, 2, 3].map((i) => log.append(record(i))));
      const full = log.append(record(4));
      await expect(full).rejects.toBeInstanceOf(WalFullError);
      await expect(full).rejects.toThrow(`write-ahead log in ${logDir()} is full`);
      await log.commitFlushed(accepted[1] + 1);
      expect(await log.append(record(4))).toBe(4);
      expect((await readAll(log, 0)).map((r) => r.position)).toEqual([2, 3, 4]);
    });
  });

  it('counts appends that are still pending against the cap', async () => {
    const frame = HEADER_BYTES + 100;
    await withLog({ segmentMaxBytes: frame * 2, maxTotalBytes: frame * 2 }, async (log) => {
      const results = await Promise.allSettled([0, 1, 2].map((i) => log.append(record(i))));
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    });
  });

  it('lets a reader follow the writer', async () => {
    await withLog({}, async (log) => {
      await log.append(record(0));
      const seen: number[] = [];
      for await (const r of log.readFrom(0)) {
        seen.push(r.position);
        if (r.position < 3) await log.append(record(r.position + 1));
      }
      expect(seen).toEqual([0, 1, 2, 3]);
    });
  });

  it('commits pending appends on close; close is idempotent; use after close fails clearly', async () => {
    const log = await WriteAheadLog.open({ dir: logDir() });
    const pending = [log.append(record(0)), log.append(record(1))];
    const closed = [log.close(), log.close()];
    expect(await Promise.all(pending)).toEqual([0, 1]);
    await Promise.all(closed);
    await log.close();
    await expect(log.append(record(2))).rejects.toBeInstanceOf(WalClosedError);
    await expect(log.commitFlushed(1)).rejects.toBeInstanceOf(WalClosedError);
    await expect(readAll(log)).rejects.toBeInstanceOf(WalClosedError);
    await withLog({}, async (reopened) => expect((await readAll(reopened)).length).toBe(2));
  });

  it('validates its options', async () => {
    await expect(WriteAheadLog.open({ dir: logDir(), segmentMaxBytes: 10 })).rejects.toThrow(
      /segmentMaxBytes/,
    );
    await expect(
      WriteAheadLog.open({ dir: logDir(), segmentMaxBytes: 4096, maxTotalBytes: 100 }),
    ).rejects.toThrow(/maxTotalBytes/);
  });

  it('waits syncIntervalMs to gather a bigger group', async () => {
    const { fs, datasyncs } = countingFileSystem();
    await withLog({ fileSystem: fs, syncIntervalMs: 30 }, async (log) => {
      const before = datasyncs();
      const appends: Promise<number>[] = [];
      for (let i = 0; i < 5; i++) {
        appends.push(log.append(record(i)));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await Promise.all(appends);
      expect(datasyncs() - before).toBe(1);
    });
  });
});
