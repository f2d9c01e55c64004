import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeHeader, HEADER_BYTES } from './record-framing.js';
import { scanSegment } from './segment-scanner.js';
import type { ScanEvent } from './segment-scanner.js';
import { nodeFileSystem } from './wal-file-system.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wal-scan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const frame = (sequence: number, payload: Buffer): Buffer =>
  Buffer.concat([encodeHeader(sequence, payload), payload]);

async function scan(bytes: Buffer, chunkBytes: number, start = 0): Promise<ScanEvent[]> {
  const path = join(dir, `segment-${chunkBytes}`);
  await writeFile(path, bytes);
  const file = await nodeFileSystem.openFile(path, 'read');
  try {
    const events: ScanEvent[] = [];
    for await (const event of scanSegment(file, start, bytes.length, chunkBytes)) {
      // Copy: compare contents, not which window buffer a payload happens to share.
      events.push(event.kind === 'record' ? { ...event, payload: Buffer.from(event.payload) } : event);
    }
    return events;
  } finally {
    await file.close();
  }
}

describe('scanSegment', () => {
  // A payload that itself contains the magic, then damage of each kind, then a torn end.
  const payloads = [Buffer.from('first'), Buffer.from('xxTHW1yy'), Buffer.alloc(300, 7), Buffer.from('last')];
  const frames = payloads.map((p, i) => frame(i, p));
  const corrupted = Buffer.from(frames[2]);
  corrupted[HEADER_BYTES + 5] ^= 0xff;
  const bytes = Buffer.concat([
    frames[0],
    frames[1],
    Buffer.from('garbage THW1 more garbage'),
    corrupted,
    frames[3],
    frames[0].subarray(0, 10),
  ]);

  it('finds the same records and damage whatever the read size', async () => {
    const expected = await scan(bytes, 1024 * 1024);
    const at1 = frames[0].length + frames[1].length;
    const at2 = at1 + 25;
    const at3 = at2 + corrupted.length;
    expect(
      expected.map((e) => (e.kind === 'record' ? [e.offset, e.sequence] : [e.offset, e.reason])),
    ).toEqual([
      [0, 0],
      [frames[0].length, 1],
      [at1, 'bad-header'],
      [at2, 'bad-checksum'],
      [at3, 3],
      [at3 + frames[3].length, 'bad-header'],
    ]);
    expect(expected.at(-1)).toMatchObject({ length: 10, atEnd: true });
    for (const chunkBytes of [1, 3, 5, 17, 64, 333]) {
      expect(await scan(bytes, chunkBytes), `chunk of ${chunkBytes}`).toEqual(expected);
    }
  });

  it('starts at a given offset', async () => {
    const events = await scan(bytes, 64, frames[0].length);
    expect(events[0]).toMatchObject({ kind: 'record', sequence: 1, payload: payloads[1] });
  });
});
