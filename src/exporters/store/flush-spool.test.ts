import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FlushSpool } from './flush-spool.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-flush-spool-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** `length` bytes counting up from `seed`, so that misplaced bytes show. */
const bytes = (seed: number, length: number): Buffer =>
  Buffer.from(Array.from({ length }, (_, i) => (seed + i) % 251));

describe('FlushSpool', () => {
  it('writes each file as the concatenation of what it was given, in order, across several writes', async () => {
    const spool = await FlushSpool.create(join(dir, 'spool'), 'flush-1');
    const rows: Buffer[] = [];
    const copies: Buffer[] = [];
    let writes = 0;
    // ~9 MiB in all: more than two of the spool's 4 MiB writes, and a last part left for finish.
    for (let i = 0; i < 12; i++) {
      rows.push(bytes(i, 500_000 + i));
      copies.push(bytes(i + 100, 300_000 - i));
      const written = spool.add(rows[i], copies[i]);
      if (written) {
        writes++;
        await written;
      }
    }
    await spool.finish();
    expect(writes).toBe(2);
    expect(readFileSync(spool.rows.file).equals(Buffer.concat(rows))).toBe(true);
    expect(readFileSync(spool.traceSpanRows.file).equals(Buffer.concat(copies))).toBe(true);
    expect(readdirSync(join(dir, 'spool')).sort()).toEqual(['flush-1.copy', 'flush-1.spans']);
  });

  it('removes its files, whether finished or not', async () => {
    const finished = await FlushSpool.create(dir, 'a');
    // Small rows: add writes nothing yet, and returns no promise.
    expect(finished.add(bytes(1, 10), bytes(2, 10))).toBeUndefined();
    await finished.finish();
    const unfinished = await FlushSpool.create(dir, 'b');
    expect(unfinished.add(bytes(3, 10), bytes(4, 10))).toBeUndefined();
    expect(readdirSync(dir)).toHaveLength(4);
    await finished.remove();
    await unfinished.remove();
    await unfinished.remove();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('fails to create where no folder can be made, leaving nothing behind', async () => {
    // A plain file where the spool folder would go.
    const blocked = join(dir, 'file');
    writeFileSync(blocked, 'x');
    await expect(FlushSpool.create(blocked, 'x')).rejects.toThrow(/EEXIST|ENOTDIR/);
    expect(readdirSync(dir)).toEqual(['file']);
  });
});
