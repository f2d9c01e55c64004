import type { RelativeNanos } from './compact-trace-format.js';

/*
 * Stored times arrive as decimal nanosecond text (ClickHouse's Int64/UInt64 as JSON strings), too
 * long for a double. Split at the second, both halves are exact doubles, so times can be compared
 * and subtracted without a BigInt per span; BigInt is only needed for a difference past 2^53 ns.
 */

const NANOS_PER_SECOND = 1e9;
/** Seconds apart below which (s1 − s2) · 10⁹ + (n1 − n2) stays under 2^53 and so exact. */
const EXACT_SECONDS = Math.floor(Number.MAX_SAFE_INTEGER / NANOS_PER_SECOND) - 1;

/** The whole seconds of decimal nanosecond text (negative for a time before 1970). */
export function secondsOf(text: string): number {
  if (text.charCodeAt(0) === 0x2d) return -secondsOf(text.slice(1));
  return text.length > 9 ? Number(text.slice(0, -9)) : 0;
}

/** The nanoseconds within the second, with the sign of the whole. */
export function nanosOf(text: string): number {
  if (text.charCodeAt(0) === 0x2d) return -nanosOf(text.slice(1));
  return Number(text.length > 9 ? text.slice(-9) : text);
}

/** (s, n) − (baseS, baseN) in nanoseconds: a number when exact as one, else decimal text. */
export function relativeNanos(s: number, n: number, baseS: number, baseN: number): RelativeNanos {
  const ds = s - baseS;
  if (ds <= EXACT_SECONDS && ds >= -EXACT_SECONDS) {
    const d = ds * NANOS_PER_SECOND + (n - baseN);
    if (d <= Number.MAX_SAFE_INTEGER && d >= -Number.MAX_SAFE_INTEGER) return d;
  }
  const d = BigInt(ds) * 1_000_000_000n + BigInt(n - baseN);
  const max = BigInt(Number.MAX_SAFE_INTEGER);
  return d <= max && d >= -max ? Number(d) : d.toString();
}

/** A stored duration (decimal nanoseconds) as a number when exact as one, else as the text. */
export function durationNanos(text: string): RelativeNanos {
  const d = Number(text);
  return d <= Number.MAX_SAFE_INTEGER && d >= -Number.MAX_SAFE_INTEGER ? d : text;
}
