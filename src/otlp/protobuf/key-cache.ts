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
  private readonly strings: string[] = new Array<string>(SLOTS).fill('');

  /** The key in `buf[start, stop)`, or undefined when it is not cacheable (long or non-ASCII). */
  get(buf: Buffer, start: number, stop: number): string | undefined {
    const length = stop - start;
    if (length === 0 || length > MAX_KEY_BYTES) return undefined;
    const slot =
      (length * 31 + buf[start] * 7 + buf[stop - 1] * 13 + buf[start + (length >>> 1)]) & (SLOTS - 1);
    const cached = this.strings[slot];
    const base = slot * MAX_KEY_BYTES;
    const stored = this.bytes;
    if (cached.length === length) {
      let i = 0;
      while (i < length && stored[base + i] === buf[start + i]) i++;
      if (i === length) return cached;
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
