import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../wal/wal-file-system.js';
import type { WalFileSystem } from '../../wal/wal-file-system.js';
import { FlushIntent } from './flush-intent.js';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flush-intent-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

/** The real file system, noting each operation that decides what survives a power loss. */
function recordingFileSystem(steps: string[]): WalFileSystem {
  return {
    ...nodeFileSystem,
    async openFile(path, mode) {
      const file = await nodeFileSystem.openFile(path, mode);
      return {
        ...file,
        writeAll: (buffers, position) => file.writeAll(buffers, position),
        read: (buffer, offset, length, position) => file.read(buffer, offset, length, position),
        truncate: (length) => file.truncate(length),
        size: () => file.size(),
        close: () => file.close(),
        async datasync() {
          await file.datasync();
          steps.push(`datasync ${basename(path)}`);
        },
      };
    },
    async rename(from, to) {
      await nodeFileSystem.rename(from, to);
      steps.push(`rename ${basename(from)} ${basename(to)}`);
    },
    async syncDir(path) {
      await nodeFileSystem.syncDir(path);
      steps.push(`syncDir ${path === dir ? 'state' : path}`);
    },
  };
}

describe('FlushIntent', () => {
  it('is on disk, folder entry included, when write returns', async () => {
    const steps: string[] = [];
    const intent = new FlushIntent(dir, recordingFileSystem(steps));
    await intent.write({ first: 3, end: 9, insertId: 'flush-1' });
    // A power cut after the insert began must find the intent: the file's bytes, then its name.
    expect(steps).toEqual([
      'datasync flush-intent.json.tmp',
      'rename flush-intent.json.tmp flush-intent.json',
      'syncDir state',
    ]);
    expect(await new FlushIntent(dir).read()).toEqual({ first: 3, end: 9, insertId: 'flush-1' });
    expect(await readdir(dir)).toEqual(['flush-intent.json']);
  });

  it('replaces a longer intent whole', async () => {
    const intent = new FlushIntent(dir);
    await intent.write({ first: 1_000_000, end: 2_000_000, insertId: 'a-much-longer-insert-id' });
    await intent.write({ first: 1, end: 2 });
    expect(await intent.read()).toEqual({ first: 1, end: 2 });
    await intent.clear();
    expect(await intent.read()).toBeUndefined();
  });
});
