/**
 * Helpers for comparing trees parsed from different texts (the printer's round trip, the fuzzer):
 * positions differ by construction, everything else must not.
 */

/** A deep copy without `position` fields, for deep-equality matchers with a readable diff. */
export function stripPositions<T>(node: T): T {
  if (Array.isArray(node)) return node.map(stripPositions) as T;
  if (typeof node !== 'object' || node === null) return node;
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key !== 'position') copy[key] = stripPositions(value);
  }
  return copy as T;
}

/**
 * Whether two trees are equal apart from positions: what `toEqual(stripPositions(…))` says, many
 * times faster, for the fuzzer's 100,000 comparisons. Numbers compare with Object.is, so `-0.0`
 * and `0.0` differ, as they print differently; an undefined field equals a missing one.
 */
export function sameTree(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => sameTree(item, b[index]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  let fields = 0;
  for (const key in left) {
    if (key === 'position' || left[key] === undefined) continue;
    if (!sameTree(left[key], right[key])) return false;
    fields++;
  }
  for (const key in right) {
    if (key !== 'position' && right[key] !== undefined) fields--;
  }
  return fields === 0;
}
