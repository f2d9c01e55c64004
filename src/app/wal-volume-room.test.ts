import { mkdtemp, rm, statfs, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { capForRoom, walVolumeRoom } from './wal-volume-room.js';

const MiB = 1024 * 1024;
let dir = '';
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('capForRoom', () => {
  it('keeps the configured cap when the volume holds it beside a flush', () => {
    expect(capForRoom(1024 * MiB, 0, 100_000 * MiB, 257 * MiB)).toEqual({ maxTotalBytes: 1024 * MiB });
  });

  it("lowers it to the log's files and the free bytes, less what a flush writes", () => {
    // 300 MiB of log, 500 free, 257 for a flush: the log may reach 543 MiB.
    expect(capForRoom(1024 * MiB, 300 * MiB, 500 * MiB, 257 * MiB)).toEqual({
      maxTotalBytes: 543 * MiB,
      lowered: { configured: 1024 * MiB, roomBytes: 543 * MiB },
    });
  });

  it('never below a few segments, even on a volume already full', () => {
    expect(capForRoom(1024 * MiB, 0, 0, 257 * MiB).maxTotalBytes).toBe(4 * MiB);
  });
});

describe('walVolumeRoom', () => {
  it("measures the log's volume and its files (a cap larger than any disk is lowered)", async () => {
    dir = await mkdtemp(join(tmpdir(), 'wal-room-'));
    await writeFile(join(dir, '00000000000000000000.wal'), Buffer.alloc(MiB));
    const petabyte = 2 ** 50;
    const room = await walVolumeRoom(dir, petabyte, 8 * MiB);
    const volume = await statfs(dir);
    const free = volume.bavail * volume.bsize;
    expect(room.lowered?.configured).toBe(petabyte);
    // The free space moves as other processes write: within 64 MiB of what it was just after.
    expect(Math.abs(room.maxTotalBytes - (MiB + free - 8 * MiB))).toBeLessThan(64 * MiB);
    expect(await walVolumeRoom(dir, 16 * MiB, 8 * MiB)).toEqual({ maxTotalBytes: 16 * MiB });
  });
});
