/**
 * The pairer's map key of a span id: a small integer folded from every character of the id, so
 * the maps hold their keys inline (a V8 small integer) instead of pointing at id strings spread
 * over the heap — a lookup in a map of 100k+ spans then misses the cache once less per entry it
 * compares, and hashes no string. Different ids may share a key (two random ids, one time in 2^30), so
 * whoever finds a span under a key still compares the id itself (PendingSpan.spanId).
 *
 * Decoded ids are lowercase hex of 8 bytes: each half is then read as a 32-bit number exactly.
 * Any other string gets a key too (the same fold over its characters), just not that exact one.
 */
export function spanIdKey(id: string): number {
  const half = id.length >> 1;
  let high = 0;
  let low = 0;
  for (let i = 0; i < half; i++) high = (high << 4) ^ (high >>> 28) ^ hexDigit(id.charCodeAt(i));
  for (let i = half; i < id.length; i++) low = (low << 4) ^ (low >>> 28) ^ hexDigit(id.charCodeAt(i));
  // Odd multiplier: spreads `low` into the bits kept, so ids that differ anywhere rarely collide.
  return (high ^ Math.imul(low, 0x9e3779b1)) & 0x3fffffff;
}

/** 0–15 for `0-9`, `a-f` and `A-F` without a branch; other characters fold in as some number. */
function hexDigit(code: number): number {
  return (code & 15) + (code >> 6) * 9;
}
