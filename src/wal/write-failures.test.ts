import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HEADER_BYTES } from './record-framing.js';
import { segmentName } from './segment-file.js';
import { WalWriteError } from './wal-errors.js';
import type { WalFileSystem } from './wal-file-system.js';
import { nodeFileSystem } from './wal-file-system.js';
import type { WalRecord } from './wal-types.js';
import { WriteAheadLog } from './write-ahead-log.js';

const record = (i: number): Buffer => Buffer.alloc(100, `record ${i};`);
const FRAME = HEADER_BYTES + 100;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wal-failures-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function systemError(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

/**
 * The real file system with switchable faults. A full disk fails a write after part of it
 * reached the file, the case that could leave a half record behind.
 */
function faultyFileSystem() {
  const faults = {
    write: undefined as string | undefined,
    datasync: undefined as string | undefined,
    /** Creating a file fails with this code (a folder made immutable: EPERM). */
    create: undefined as string | undefined,
    /** …after making the file, as a network file system may. */
    createLeavesFile: false,
    syncDir: undefined as string | undefined,
  };
  const fs: WalFileSystem = {
    ...nodeFileSystem,
    async syncDir(path) {
      if (faults.syncDir) throw systemError(faults.syncDir);
      return nodeFileSystem.syncDir(path);
    },
    async openFile(path, mode) {
      if (mode === 'create' && faults.create) {
        if (faults.createLeavesFile) await (await nodeFileSystem.openFile(path, mode)).close();
        throw systemError(faults.create);
      }
      const file = await nodeFileSystem.openFile(path, mode);
      return {
        writeAll: async (buffers, position) => {
          if (!faults.write) return file.writeAll(buffers, position);
          const all = Buffer.concat(buffers);
          await file.writeAll([all.subarray(0, Math.floor(all.length * 0.6))], position);
          throw systemError(faults.write);
        },
        datasync: () => (faults.datasync ? Promise.reject(systemError(faults.datasync)) : file.datasync()),
        read: (buffer, offset, length, position) => file.read(buffer, offset, length, position),
        truncate: (length) => file.truncate(length),
        size: () => file.size(),
        close: () => file.close(),
      };
    },
  };
  return { fs, faults };
}

async function readAll(log: WriteAheadLog): Promise<WalRecord[]> {
  const records: WalRecord[] = [];
  for await (const r of log.readFrom(0)) records.push(r);
  return records;
}

describe('write failures', () => {
  it('rejects appends on a full disk with a clear error and leaves no partial record', async () => {
    const { fs, faults } = faultyFileSystem();
    const log = await WriteAheadLog.open({ dir, fileSystem: fs });
    await log.append(record(0));

    faults.write = 'ENOSPC';
    const failed = await Promise.allSettled([log.append(record(1)), log.append(record(2))]);
    for (const result of failed) {
      expect(result.status).toBe('rejected');
      const error = (result as PromiseRejectedResult).reason as WalWriteError;
      expect(error).toBeInstanceOf(WalWriteError);
      expect(error.message).toContain('the disk is full');
      expect(error.message).toContain(dir);
      expect(error).toMatchObject({ code: 'ENOSPC', fatal: false, dir });
    }
    expect((await stat(join(dir, segmentName(0)))).size).toBe(FRAME);
    expect(log.stats()).toMatchObject({ nextPosition: 1, diskBytes: FRAME });

    // Space comes back: the log goes on where it was, positions not consumed by the failure.
    faults.write = undefined;
    expect(await log.append(record(1))).toBe(1);
    expect((await readAll(log)).map((r) => r.payload)).toEqual([record(0), record(1)]);
    await log.close();

    const reopened = await WriteAheadLog.open({ dir });
    expect(reopened.damage).toEqual([]);
    expect((await readAll(reopened)).map((r) => r.position)).toEqual([0, 1]);
    await reopened.close();
  });

  it('stops after a failed fsync, and a reopened log is consistent', async () => {
    const { fs, faults } = faultyFileSystem();
    const log = await WriteAheadLog.open({ dir, fileSystem: fs });
    await log.append(record(0));
    faults.datasync = 'EIO';
    const failed = log.append(record(1));
    await expect(failed).rejects.toMatchObject({ name: 'WalWriteError', code: 'EIO', fatal: true });
    faults.datasync = undefined;
    // An fsync error may have dropped data the kernel still reports as written: no more appends.
    await expect(log.append(record(2))).rejects.toThrow(/the log is stopped/);
    await log.close();

    const reopened = await WriteAheadLog.open({ dir });
    expect(reopened.damage).toEqual([]);
    // Record 1 was reported as failed but may have reached the disk anyway: at least once, never torn.
    const records = await readAll(reopened);
    expect(records[0].payload).toEqual(record(0));
    expect(records.every((r) => r.payload.equals(record(r.position)))).toBe(true);
    await reopened.close();
  });

  it.each([
    ['fails', false],
    ['fails after making the file', true],
  ])(
    'refuses appends while creating a segment %s, and takes them again once it works',
    async (_how, leavesFile) => {
      const { fs, faults } = faultyFileSystem();
      const log = await WriteAheadLog.open({ dir, fileSystem: fs, segmentMaxBytes: 2 * FRAME });
      await log.append(record(0));
      await log.append(record(1));

      // The segment is full: the next append needs a new one, and the folder refuses it.
      faults.create = 'EPERM';
      faults.createLeavesFile = leavesFile;
      for (const attempt of [2, 2]) {
        const failed = log.append(record(attempt));
        await expect(failed).rejects.toBeInstanceOf(WalWriteError);
        await expect(failed).rejects.toMatchObject({ code: 'EPERM', fatal: false });
        await expect(failed).rejects.not.toThrow(/the log is stopped/);
        expect(log.stats()).toMatchObject({ nextPosition: 2, diskBytes: 2 * FRAME });
      }
      expect(await readdir(dir)).toEqual([segmentName(0)]);

      // The folder is writable again: no restart needed.
      faults.create = undefined;
      expect(await log.append(record(2))).toBe(2);
      expect(await log.append(record(3))).toBe(3);
      expect((await readAll(log)).map((r) => r.payload)).toEqual([0, 1, 2, 3].map(record));
      await log.close();

      const reopened = await WriteAheadLog.open({ dir });
      expect(reopened.damage).toEqual([]);
      expect((await readAll(reopened)).map((r) => r.position)).toEqual([0, 1, 2, 3]);
      await reopened.close();
    },
  );

  it('stops when the folder cannot be fsynced after a segment is made', async () => {
    const { fs, faults } = faultyFileSystem();
    const log = await WriteAheadLog.open({ dir, fileSystem: fs, segmentMaxBytes: 2 * FRAME });
    await log.append(record(0));
    await log.append(record(1));
    faults.syncDir = 'EIO';
    await expect(log.append(record(2))).rejects.toMatchObject({ code: 'EIO', fatal: true });
    faults.syncDir = undefined;
    await expect(log.append(record(3))).rejects.toThrow(/the log is stopped/);
    await log.close();
  });
});
