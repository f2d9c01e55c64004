/** CRC-32 (IEEE 802.3, the polynomial Go's `crc32.NewIEEE` and zlib use), table-driven. */
const TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

export function crc32(bytes: Uint8Array): number {
  let crc = -1;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

/**
 * CRC-32 of the bytes a lowercase hex string stands for (a trace id), without decoding it into
 * a buffer first: this runs once per span.
 */
export function crc32OfHex(hex: string): number {
  let crc = -1;
  for (let i = 0; i + 1 < hex.length; i += 2) {
    const byte = (nibble(hex.charCodeAt(i)) << 4) | nibble(hex.charCodeAt(i + 1));
    crc = TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ -1) >>> 0;
}

function nibble(code: number): number {
  // '0'-'9' → 0-9, 'a'-'f' / 'A'-'F' → 10-15; ids are validated upstream.
  return code <= 57 ? code - 48 : (code | 0x20) - 87;
}
