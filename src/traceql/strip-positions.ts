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
 * Whether two trees are equal apart from positions: what `toEqual(stripPositions(…))` says, a
 * hundred times faster, for the fuzzer's 100,000 comparisons. Numbers compare with Object.is, so
 * `-0.0` and `0.0` differ as they print differently; an undefined field equals a missing one.
 */
export function sameTree(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b);
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) {
    if (key !== 'position' && !sameTree(left[key], right[key])) return false;
  }
  return true;
}
