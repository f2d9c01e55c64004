import './buffer-internals.js';
import { hexId } from './hex-id.js';

const SLOTS = 1024;
const MAX_ID_BYTES = 16;

/**
 * Remembers the hex strings of recently seen ids. Spans of one trace travel together, and
 * siblings share a parent, so trace ids and parent ids repeat within a batch; a hit costs a
 * 16-byte comparison instead of a hex conversion and a string allocation.
 */
export class IdCache {
  private readonly bytes = new Uint8Array(SLOTS * MAX_ID_BYTES);
  private readonly strings: string[] = new Array<string>(SLOTS).fill('');

  hex(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    if (length === 0) return '';
    if (length > MAX_ID_BYTES) return buf.hexSlice(start, end);
    const slot = ((buf[end - 1] << 2) ^ buf[end - 2]) & (SLOTS - 1);
    const cached = this.strings[slot];
    const base = slot * MAX_ID_BYTES;
    if (cached.length === length * 2) {
      const stored = this.bytes;
      let i = 0;
      while (i < length && stored[base + i] === buf[start + i]) i++;
      if (i === length) return cached;
    }
    return this.remember(buf, start, end, slot);
  }

  /** Out of line, so that the hit path above stays small enough to be inlined into the decoder. */
  private remember(buf: Buffer, start: number, end: number, slot: number): string {
    const hex = hexId(buf, start, end);
    this.bytes.set(buf.subarray(start, end), slot * MAX_ID_BYTES);
    this.strings[slot] = hex;
    return hex;
  }
}
