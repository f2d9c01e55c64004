import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nodeFileSystem } from '../../wal/wal-file-system.js';
import type { WalFileSystem } from '../../wal/wal-file-system.js';
import type { FlushIntentRead } from './flush-intent.js';
import { FlushIntent, intentReplay } from './flush-intent.js';

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
    expect(await new FlushIntent(dir).read()).toEqual({
      kind: 'range',
      range: { first: 3, end: 9, insertId: 'flush-1' },
    });
    expect(await readdir(dir)).toEqual(['flush-intent.json']);
  });

  it('replaces a longer intent whole', async () => {
    const intent = new FlushIntent(dir);
    await intent.write({ first: 1_000_000, end: 2_000_000, insertId: 'a-much-longer-insert-id' });
    await intent.write({ first: 1, end: 2 });
    expect(await intent.read()).toEqual({ kind: 'range', range: { first: 1, end: 2 } });
    await intent.clear();
    expect(await intent.read()).toEqual({ kind: 'none' });
  });
});

describe('FlushIntent.read of a file it did not write whole', () => {
  // A zero-byte file is what a crash leaves of a file written without fsync (or a full disk); the
  // rest are files edited by hand or by a disk that lost bytes. None may crash start-up.
  it.each([
    ['', /empty/],
    ['  \n', /empty/],
    ['{"first":3,"end":', /not JSON/],
    ['\u0000\u0000\u0000\u0000', /not JSON/],
    ['[3, 9]', /not a JSON object/],
    ['null', /not a JSON object/],
    ['{"first":"3","end":9}', /first \("3"\) and end \(9\) must be integers/],
    ['{"first":3.5,"end":9}', /must be integers of 0 or more/],
    ['{"end":9}', /first \(undefined\)/],
    ['{"first":-1,"end":9}', /must be integers of 0 or more/],
    ['{"first":3,"end":1e300}', /must be integers/],
    ['{"first":15,"end":12}', /first \(15\) is past end \(12\)/],
    ['{"first":3,"end":9,"insertId":7}', /insertId is not a string/],
  ])('%j is damaged', async (text, reason) => {
    await writeFile(join(dir, 'flush-intent.json'), text);
    const read = await new FlushIntent(dir).read();
    expect(read).toMatchObject({ kind: 'damaged', reason: expect.stringMatching(reason) as unknown });
  });

  it('takes an empty range and one without an insert id (intents of older versions)', async () => {
    await writeFile(join(dir, 'flush-intent.json'), '{"first":4,"end":4}');
    expect(await new FlushIntent(dir).read()).toEqual({ kind: 'range', range: { first: 4, end: 4 } });
  });
});

describe('intentReplay', () => {
  const range = (first: number, end: number): FlushIntentRead => ({
    kind: 'range',
    range: { first, end, insertId: 'flush-1' },
  });

  it('is nothing without an intent', () => {
    expect(intentReplay({ kind: 'none' }, 10, 20)).toBeUndefined();
  });

  it('takes a range as written when it lies within the log', () => {
    expect(intentReplay(range(10, 15), 10, 20)).toEqual({
      range: { first: 10, end: 15, insertId: 'flush-1' },
    });
    // The checkpoint passed it, and the process stopped before removing it: nothing to replay.
    expect(intentReplay(range(4, 10), 10, 20)).toEqual({ range: { first: 4, end: 10, insertId: 'flush-1' } });
  });

  it('replays all that is unflushed for a damaged intent', () => {
    expect(intentReplay({ kind: 'damaged', reason: 'the file is empty' }, 10, 20)).toEqual({
      range: { first: 10, end: 20 },
      problem: 'the flush intent is damaged (the file is empty)',
    });
  });

  it('starts at the checkpoint, never after it, without a problem to report', () => {
    // A flush begins at the first record there is, past positions lost to damage.
    expect(intentReplay(range(12, 15), 10, 20)).toEqual({
      range: { first: 10, end: 15, insertId: 'flush-1' },
    });
  });

  it("ends at the log's end, never past it", () => {
    expect(intentReplay(range(10, 25), 10, 20)).toEqual({
      range: { first: 10, end: 20, insertId: 'flush-1' },
      problem: expect.stringMatching(/ends at 25, past the log's end \(20\)/) as unknown,
    });
    // Both, and a log emptied below the range: still within [checkpoint, end of log].
    expect(intentReplay(range(30, 40), 10, 20)).toMatchObject({ range: { first: 10, end: 20 } });
  });
});
