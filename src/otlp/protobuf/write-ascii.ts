/*
 * Byte loops for the encoder's hot path: each replaces a call into C++ (utf8Write, hex write)
 * that costs more than the loop for the short strings and 8- or 16-byte ids telemetry is made of.
 * The caller has reserved the room; a false return means "not for this loop" and the caller then
 * ignores whatever was written past its position.
 */

/** Copies `text` to `buf` at `at` if every UTF-16 unit is ASCII (then UTF-8 is the same bytes). */
export function writeAscii(buf: Buffer, at: number, text: string): boolean {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x80) return false;
    buf[at + i] = c;
  }
  return true;
}

/** Value of each hex digit by char code, -1 for anything else. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let i = 0; i < 10; i++) HEX_VALUE[0x30 + i] = i;
for (let i = 0; i < 6; i++) {
  HEX_VALUE[0x41 + i] = 10 + i;
  HEX_VALUE[0x61 + i] = 10 + i;
}

/** Writes an even-length hex string as its bytes; false on any non-hex character. */
export function writeHex(buf: Buffer, at: number, hex: string): boolean {
  const bytes = hex.length >>> 1;
  for (let i = 0; i < bytes; i++) {
    const a = hex.charCodeAt(2 * i);
    const b = hex.charCodeAt(2 * i + 1);
    if ((a | b) > 0xff) return false;
    const hi = HEX_VALUE[a];
    const lo = HEX_VALUE[b];
    if ((hi | lo) < 0) return false;
    buf[at + i] = (hi << 4) | lo;
  }
  return true;
}
