import { describe, expect, it } from 'vitest';
import { durationNanos, nanosOf, relativeNanos, secondsOf } from './nanos-text.js';

/** `a − b` through the split form, as the builder computes it. */
const minus = (a: string, b: string) => relativeNanos(secondsOf(a), nanosOf(a), secondsOf(b), nanosOf(b));

describe('nanosecond text', () => {
  it('splits at the second, with the sign on both halves', () => {
    expect([secondsOf('1795629961023456789'), nanosOf('1795629961023456789')]).toEqual([
      1795629961, 23456789,
    ]);
    expect([secondsOf('999'), nanosOf('999')]).toEqual([0, 999]);
    expect([secondsOf('-1000000005'), nanosOf('-1000000005')]).toEqual([-1, -5]);
    expect([secondsOf('18446744073709551615'), nanosOf('18446744073709551615')]).toEqual([
      18446744073, 709551615,
    ]);
  });

  it('subtracts exactly: a number up to 2^53 either way, decimal text beyond', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    const text = (n: bigint) => n.toString();
    const base = 1795629961023456789n;
    expect(minus(text(base + 212n), text(base))).toBe(212);
    expect(minus(text(base + max), text(base))).toBe(Number.MAX_SAFE_INTEGER);
    expect(minus(text(base + max + 1n), text(base))).toBe('9007199254740992');
    expect(minus(text(base), text(base + max + 1n))).toBe('-9007199254740992');
    expect(minus('5', '7')).toBe(-2);
    expect(minus('-1000000005', '5')).toBe(-1_000_000_010);
    // 200 days: past 2^53 ns, so text (the BigInt path), however the seconds fall.
    expect(minus(text(base + 17_280_000_100_000_000n), text(base))).toBe('17280000100000000');
    expect(minus('18446744073709551615', '0')).toBe('18446744073709551615');
  });

  it('keeps a duration a number while exact, its text beyond', () => {
    expect(durationNanos('399999998')).toBe(399_999_998);
    expect(durationNanos('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(durationNanos('9007199254740993')).toBe('9007199254740993');
  });
});
