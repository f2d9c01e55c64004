import { appendFile, mkdtemp, open, readFile, rm, stat, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeHeader, HEADER_BYTES } from './record-framing.js';
import { segmentName } from './segment-file.js';
import type { WalDamage, WalOptions } from './wal-types.js';
import { WriteAheadLog } from './write-ahead-log.js';

const PAYLOAD = 100;
const FRAME = HEADER_BYTES + PAYLOAD;
const record = (i: number): Buffer => Buffer.alloc(PAYLOAD, `record ${i};`);

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wal-recovery-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function writeRecords(count: number, options: Partial<WalOptions> = {}): Promise<void> {
  const log = await WriteAheadLog.open({ dir, ...options });
  for (let i = 0; i < count; i++) await log.append(record(i));
  await log.close();
}

async function reopen(options: Partial<WalOptions> = {}): Promise<{
  positions: number[];
  payloadsIntact: boolean;
  damage: readonly WalDamage[];
  log: WriteAheadLog;
}> {
  const log = await WriteAheadLog.open({ dir, ...options });
  const positions: number[] = [];
  let payloadsIntact = true;
  for await (const r of log.readFrom(0)) {
    positions.push(r.position);
    payloadsIntact &&= r.payload.equals(record(r.position));
  }
  return { positions, payloadsIntact, damage: log.damage, log };
}

async function patch(file: string, offset: number, bytes: Buffer): Promise<void> {
  const handle = await open(join(dir, file), 'r+');
  await handle.write(bytes, 0, bytes.length, offset);
  await handle.close();
}

const first = segmentName(0);

describe('recovery at open', () => {
  it('cuts a torn tail off the last segment and keeps appending after it', async () => {
    await writeRecords(3);
    const torn = Buffer.concat([encodeHeader(3, record(3)), record(3)]).subarray(0, FRAME - 40);
    await appendFile(join(dir, first), torn);
    const { positions, damage, log } = await reopen();
    expect(positions).toEqual([0, 1, 2]);
    expect(damage).toEqual([{ segment: first, offset: 3 * FRAME, length: FRAME - 40, reason: 'torn-tail' }]);
    expect((await stat(join(dir, first))).size).toBe(3 * FRAME);
    expect(await log.append(record(3))).toBe(3);
    await log.close();
    const again = await reopen();
    expect(again.positions).toEqual([0, 1, 2, 3]);
    expect(again.payloadsIntact).toBe(true);
    expect(again.damage).toEqual([]);
    await again.log.close();
  });

  it('treats zeros past the last record (a size that outran its data) as a torn tail', async () => {
    await writeRecords(2);
    await appendFile(join(dir, first), Buffer.alloc(4096));
    const { positions, damage, log } = await reopen();
    expect(positions).toEqual([0, 1]);
    expect(damage).toMatchObject([{ offset: 2 * FRAME, length: 4096, reason: 'torn-tail' }]);
    await log.close();
  });

  it('skips and reports a record whose payload fails its checksum, keeping the ones after it', async () => {
    await writeRecords(5);
    await patch(first, 2 * FRAME + HEADER_BYTES + 10, Buffer.from('X'));
    const reported: WalDamage[] = [];
    const { positions, payloadsIntact, damage, log } = await reopen({ onDamage: (d) => reported.push(d) });
    expect(positions).toEqual([0, 1, 3, 4]);
    expect(payloadsIntact).toBe(true);
    expect(damage).toEqual([
      { segment: first, offset: 2 * FRAME, length: FRAME, reason: 'bad-checksum', lost: { from: 2, to: 3 } },
    ]);
    // Reading again does not report it twice.
    expect(reported).toEqual([]);
    expect(await log.append(record(5))).toBe(5);
    await log.close();
  });

  it('resynchronises on the next intact header after a damaged header', async () => {
    await writeRecords(5);
    await patch(first, 2 * FRAME + 5, Buffer.from([0xff, 0xff])); // the length field
    const { positions, damage, log } = await reopen();
    expect(positions).toEqual([0, 1, 3, 4]);
    expect(damage).toEqual([
      { segment: first, offset: 2 * FRAME, length: FRAME, reason: 'bad-header', lost: { from: 2, to: 3 } },
    ]);
    await log.close();
  });

  it('reports a run of destroyed records as one loss with its exact positions', async () => {
    await writeRecords(6);
    await patch(first, FRAME + 7, Buffer.alloc(2 * FRAME, 0xa5));
    const { positions, damage, log } = await reopen();
    expect(positions).toEqual([0, 4, 5]);
    expect(damage).toEqual([
      { segment: first, offset: FRAME, length: 3 * FRAME, reason: 'bad-header', lost: { from: 1, to: 4 } },
    ]);
    await log.close();
  });

  it('reports a lost segment file as missing records', async () => {
    await writeRecords(9, { segmentMaxBytes: 3 * FRAME });
    await unlink(join(dir, segmentName(3)));
    const { positions, damage, log } = await reopen({ segmentMaxBytes: 3 * FRAME });
    expect(positions).toEqual([0, 1, 2, 6, 7, 8]);
    expect(damage).toEqual([
      { segment: segmentName(6), offset: 0, length: 0, reason: 'missing-records', lost: { from: 3, to: 6 } },
    ]);
    await log.close();
  });

  it('reports a cut-short segment that is not the last with the positions it lost', async () => {
    await writeRecords(6, { segmentMaxBytes: 3 * FRAME });
    await truncate(join(dir, first), 2 * FRAME + 30);
    const { positions, damage, log } = await reopen({ segmentMaxBytes: 3 * FRAME });
    expect(positions).toEqual([0, 1, 3, 4, 5]);
    expect(damage).toEqual([
      { segment: first, offset: 2 * FRAME, length: 30, reason: 'truncated-record', lost: { from: 2, to: 3 } },
    ]);
    // Reading from a lost position starts at what survived.
    const from2: number[] = [];
    for await (const r of log.readFrom(2)) from2.push(r.position);
    expect(from2).toEqual([3, 4, 5]);
    await log.close();
  });

  it('replays from the oldest segment when the checkpoint is unreadable', async () => {
    await writeRecords(4);
    const log = await WriteAheadLog.open({ dir });
    await log.commitFlushed(2);
    await log.close();
    await writeFile(join(dir, 'checkpoint'), 'garbage');
    const { positions, damage, log: reopened } = await reopen();
    expect(positions).toEqual([0, 1, 2, 3]);
    expect(damage).toEqual([{ segment: 'checkpoint', offset: 0, length: 7, reason: 'bad-checkpoint' }]);
    expect(reopened.stats().flushedPosition).toBe(0);
    await reopened.close();
  });

  it('finishes a reclaim that a crash interrupted', async () => {
    await writeRecords(7, { segmentMaxBytes: 3 * FRAME });
    const saved = await readFile(join(dir, first));
    const log = await WriteAheadLog.open({ dir, segmentMaxBytes: 3 * FRAME });
    await log.commitFlushed(4);
    await log.close();
    await writeFile(join(dir, first), saved); // as if the crash came before the delete
    const { positions, log: reopened } = await reopen({ segmentMaxBytes: 3 * FRAME });
    expect(positions).toEqual([3, 4, 5, 6]);
    expect(reopened.stats().segments).toBe(2);
    await reopened.close();
  });

  it('reports damage that appears after open through onDamage while reading', async () => {
    await writeRecords(3);
    const reported: WalDamage[] = [];
    const log = await WriteAheadLog.open({ dir, onDamage: (d) => reported.push(d) });
    await patch(first, FRAME + HEADER_BYTES, Buffer.from('Z'));
    const positions: number[] = [];
    for await (const r of log.readFrom(0)) positions.push(r.position);
    expect(positions).toEqual([0, 2]);
    expect(reported).toEqual([{ segment: first, offset: FRAME, length: FRAME, reason: 'bad-checksum' }]);
    expect(log.damage).toEqual(reported);
    await log.close();
  });
});
