import './buffer-internals.js';

/**
 * Interns short ASCII strings decoded from protobuf bytes. Attribute keys, span names, service
 * names and many attribute values repeat across every span of a batch; returning the string
 * already built skips both the UTF-8 decode and the allocation. The table is direct-mapped:
 * a collision simply overwrites, so memory stays fixed.
 */
const TABLE_BITS = 12;
const TABLE_SIZE = 1 << TABLE_BITS;
const TABLE_MASK = TABLE_SIZE - 1;
/** Longer strings rarely repeat (messages, URLs with ids) and comparing them costs more than it saves. */
export const MAX_INTERNED_LENGTH = 64;

export class StringCache {
  private readonly table: string[] = new Array<string>(TABLE_SIZE).fill('');

  /** Returns the string for `buf[start, end)`, which the caller has checked is 1 to MAX_INTERNED_LENGTH bytes. */
  get(buf: Buffer, start: number, end: number): string {
    const length = end - start;
    // Hash a few bytes, not all: the full comparison below settles equality anyway.
    const last = end - 1;
    const mid = start + (length >>> 1);
    let hash = Math.imul(length ^ buf[start], 0x01000193);
    hash = Math.imul(hash ^ buf[mid], 0x01000193);
    hash = Math.imul(hash ^ buf[last], 0x01000193);
    hash = Math.imul(hash ^ buf[last - (length >>> 2)], 0x01000193);
    const slot = (hash ^ (hash >>> 15)) & TABLE_MASK;
    const cached = this.table[slot];
    if (cached.length === length && sameAscii(cached, buf, start)) return cached;
    const decoded = buf.utf8Slice(start, end);
    // Only ASCII strings are cached: for them one byte is one UTF-16 unit, so the comparison holds.
    if (decoded.length === length) this.table[slot] = decoded;
    return decoded;
  }
}

function sameAscii(s: string, buf: Buffer, start: number): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) !== buf[start + i]) return false;
  }
  return true;
}
