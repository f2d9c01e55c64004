/**
 * Whether `buf[start, stop)` is well-formed UTF-8 (Unicode 15, table 3-7: no overlong forms, no
 * encoded surrogates, nothing past U+10FFFF) — what `isUtf8` from node:buffer answers, without
 * the subarray that calling it on a slice costs. The trace scanner runs it on each non-ASCII
 * string, where the decoder would have replaced a bad sequence by U+FFFD.
 */
export function isValidUtf8(buf: Uint8Array, start: number, stop: number): boolean {
  let i = start;
  while (i < stop) {
    const b0 = buf[i];
    if (b0 < 0x80) {
      i++;
      continue;
    }
    // 0x80–0xC1: a continuation byte without a lead, or a 2-byte form of an ASCII character.
    if (b0 < 0xc2 || b0 > 0xf4) return false;
    const length = b0 < 0xe0 ? 2 : b0 < 0xf0 ? 3 : 4;
    if (i + length > stop) return false;
    const b1 = buf[i + 1];
    if ((b1 & 0xc0) !== 0x80) return false;
    // The second byte's range is narrower after four leads (table 3-7).
    if (b0 === 0xe0 && b1 < 0xa0) return false; // overlong
    if (b0 === 0xed && b1 > 0x9f) return false; // U+D800–U+DFFF
    if (b0 === 0xf0 && b1 < 0x90) return false; // overlong
    if (b0 === 0xf4 && b1 > 0x8f) return false; // past U+10FFFF
    if (length > 2 && (buf[i + 2] & 0xc0) !== 0x80) return false;
    if (length > 3 && (buf[i + 3] & 0xc0) !== 0x80) return false;
    i += length;
  }
  return true;
}
