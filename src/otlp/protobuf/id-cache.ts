import './buffer-internals.js';
import { hexId } from './hex-id.js';
import { equalShort } from './key-cache.js';

const SLOTS = 1024;
const MAX_ID_BYTES = 16;

/**
 * Remembers the hex strings of recently seen ids. Spans of one trace travel together, and
 * siblings share a parent, so trace ids and parent ids repeat within a batch; a hit costs a
 * 16-byte comparison instead of a hex conversion and a string allocation.
 */
export class IdCache {
  private readonly bytes = new Uint8Array(SLOTS * MAX_ID_BYTES);
  private readonly words = new DataView(this.bytes.buffer);
  private readonly strings: string[] = new Array<string>(SLOTS).fill('');

  /** The id in `buf[start, end)` as hex; `view` is `buf` as a DataView, to compare four bytes at a time. */
  hex(buf: Buffer, view: DataView, start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    if (length > MAX_ID_BYTES) return buf.hexSlice(start, end);
    const slot = ((buf[end - 1] << 2) ^ buf[end - 2]) & (SLOTS - 1);
    const cached = this.strings[slot];
    const base = slot * MAX_ID_BYTES;
    if (cached.length === length * 2) {
      // As in KeyCache.get.
      const stored = this.words;
      const offset = base - start;
      let i = start;
      while (i < end - 4 && stored.getInt32(offset + i, true) === view.getInt32(i, true)) i += 4;
      if (
        i >= end - 4 &&
        (length >= 4
          ? stored.getInt32(offset + end - 4, true) === view.getInt32(end - 4, true)
          : equalShort(stored, offset, buf, start, end))
      )
        return cached;
    }
    return this.remember(buf, start, end, slot);
  }

  /** Out of line, so that the hit path above stays small enough to be inlined into the decoder. */
  private remember(buf: Buffer, start: number, end: number, slot: number): string {
    const hex = hexId(buf, start, end);
    // A loop rather than `set(buf.subarray(…))`: making the subarray's Buffer costs more than
    // copying 16 bytes, and a new trace id misses here every few spans.
    const bytes = this.bytes;
    const offset = slot * MAX_ID_BYTES - start;
    for (let i = start; i < end; i++) bytes[offset + i] = buf[i];
    this.strings[slot] = hex;
    return hex;
  }
}
