const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

function fnvByte(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, FNV_PRIME) >>> 0;
}

/**
 * FNV-1a 32-bit over the seed's four little-endian bytes (only when the seed is not 0, as the
 * current Collector does) followed by the 16 trace id bytes.
 */
export function traceIdHash(traceIdHex: string, seed: number): number {
  let hash = FNV_OFFSET;
  if (seed !== 0) for (let i = 0; i < 4; i++) hash = fnvByte(hash, (seed >>> (8 * i)) & 0xff);
  for (let i = 0; i < traceIdHex.length; i += 2)
    hash = fnvByte(hash, parseInt(traceIdHex.slice(i, i + 2), 16));
  return hash;
}
