import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { UnpinnedStrings } from './unpinned-strings.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const TEXT_BYTES = 800_000;

/** Heap bytes still used after keeping 100 strings cut from a large text and dropping the text. */
function heapKeptBy(keep: (cut: string) => string): { bytes: number; kept: string[] } {
  gc();
  const before = process.memoryUsage().heapUsed;
  let text: string | undefined = Buffer.alloc(TEXT_BYTES, 'reservations-service ').latin1Slice(0, TEXT_BYTES);
  const kept = Array.from({ length: 100 }, (_, i) => keep(text!.substring(i * 21, i * 21 + 20)));
  text = undefined;
  gc();
  gc();
  return { bytes: process.memoryUsage().heapUsed - before, kept };
}

describe('UnpinnedStrings', () => {
  it('keeps equal strings that do not keep the text they were cut from alive', () => {
    const pinned = heapKeptBy((cut) => cut);
    const strings = new UnpinnedStrings();
    const unpinned = heapKeptBy((cut) => strings.get(cut));
    expect(unpinned.kept).toEqual(pinned.kept);
    // The control shows the measure sees the text; the copies must not keep it.
    expect(pinned.bytes).toBeGreaterThan(TEXT_BYTES * 0.8);
    expect(unpinned.bytes).toBeLessThan(TEXT_BYTES * 0.2);
  });

  it('starts over past its bound, still answering equal strings', () => {
    const strings = new UnpinnedStrings(2);
    const values = ['a-service-name-1', 'a-service-name-2', 'a-service-name-3', 'short'];
    expect(values.map((v) => strings.get(v))).toEqual(values);
  });
});
