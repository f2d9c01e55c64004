import './buffer-internals.js';

const SLOTS = 512;
const MAX_KEY_BYTES = 48;

/**
 * Remembers recently decoded ASCII attribute keys. A batch repeats the same dozen keys on every
 * span; a hit returns the same string for the price of a byte comparison, instead of allocating
 * a new one per attribute — fewer objects for the garbage collector, and processors comparing or
 * hashing keys meet a string whose hash V8 has already computed. Cached strings are fresh copies
 * (`latin1Slice`), never slices of a request, so the cache pins no request text.
 */
export class KeyCache {
  private readonly bytes = new Uint8Array(SLOTS * MAX_KEY_BYTES);
  private readonly words = new DataView(this.bytes.buffer);
  private readonly strings: string[] = new Array<string>(SLOTS).fill('');

  /**
   * The key in `buf[start, stop)`, or undefined when it is not cacheable (long or non-ASCII).
   * `view` is `buf` as a DataView, to compare four bytes at a time.
   */
  get(buf: Buffer, view: DataView, start: number, stop: number): string | undefined {
    const length = stop - start;
    if (length === 0 || length > MAX_KEY_BYTES) return undefined;
    const slot =
      (length * 31 + buf[start] * 7 + buf[stop - 1] * 13 + buf[start + (length >>> 1)]) & (SLOTS - 1);
    const cached = this.strings[slot];
    if (cached.length === length) {
      // Four bytes at a time (a byte loop here was ~9% of the decoder's time); the last word
      // overlaps the one before it when the length is not a multiple of four. The comparison is
      // written out here and in IdCache: a shared helper function measured ~5% slower.
      const stored = this.words;
      const offset = slot * MAX_KEY_BYTES - start;
      let i = start;
      while (i < stop - 4 && stored.getInt32(offset + i, true) === view.getInt32(i, true)) i += 4;
      if (
        i >= stop - 4 &&
        (length >= 4
          ? stored.getInt32(offset + stop - 4, true) === view.getInt32(stop - 4, true)
          : equalShort(stored, offset, buf, start, stop))
      )
        return cached;
    }
    return this.remember(buf, start, stop, slot);
  }

  /** Out of line, so that the hit path above stays small enough to be inlined into the decoder. */
  private remember(buf: Buffer, start: number, stop: number, slot: number): string | undefined {
    for (let i = start; i < stop; i++) if (buf[i] >= 0x80) return undefined;
    const key = buf.latin1Slice(start, stop);
    this.bytes.set(buf.subarray(start, stop), slot * MAX_KEY_BYTES);
    this.strings[slot] = key;
    return key;
  }
}

/** Whether `stored` holds `buf[start, stop)` from `offset + start` on, byte by byte: for keys and ids under four bytes. */
export function equalShort(
  stored: DataView,
  offset: number,
  buf: Buffer,
  start: number,
  stop: number,
): boolean {
  for (let i = start; i < stop; i++) if (stored.getUint8(offset + i) !== buf[i]) return false;
  return true;
}
