import { describe, expect, it } from 'vitest';
import { MAX_INT64, goDurationParam, parseGoDurationNanos } from './go-duration.js';

const S = 1_000_000_000n;
const refuse = (detail: string) => new Error(detail);

describe("Go durations (time.ParseDuration's grammar, in nanoseconds)", () => {
  it.each([
    ['0', 0n],
    ['+0', 0n],
    ['-0', 0n],
    ['1ns', 1n],
    ['1.5us', 1_500n],
    ['2µs', 2_000n],
    ['2μs', 2_000n],
    ['100ms', 100_000_000n],
    ['1.5s', 1_500_000_000n],
    ['1.s', S],
    ['.5s', S / 2n],
    ['1h30m', 5400n * S],
    ['1.5h', 5400n * S],
    ['-2m', -120n * S],
    // Fractions below a nanosecond are dropped, as Go drops them.
    ['0.4ns', 0n],
    ['1.9ns', 1n],
    ['0.0000000019s', 1n],
    // Exact, where milliseconds in a double lost nanoseconds.
    ['2562047h47m16.854775807s', MAX_INT64],
  ])('%s', (text, nanos) => {
    expect(parseGoDurationNanos(text)).toBe(nanos);
  });

  it.each([
    '',
    '1',
    '00',
    's',
    '.s',
    '1d',
    '2w',
    '1y',
    ' 1s',
    '1s ',
    '1 s',
    '1e3s',
    '0x10s',
    '++1s',
    '1h-2m',
  ])('refuses %j', (text) => {
    expect(parseGoDurationNanos(text)).toBeUndefined();
  });

  it('gives values past 2^63 − 1 ns as they are, for the caller to refuse', () => {
    expect(parseGoDurationNanos('2562048h')).toBe(2_562_048n * 3600n * S);
    expect(parseGoDurationNanos(`${'9'.repeat(400)}h`)! > MAX_INT64).toBe(true);
  });
});

describe('duration parameters', () => {
  it('take 0 up to 2^63 − 1 ns', () => {
    expect(goDurationParam('0', refuse)).toBe(0n);
    expect(goDurationParam('2562047h', refuse)).toBe(2_562_047n * 3600n * S);
    expect(goDurationParam('2562047h47m16.854775807s', refuse)).toBe(MAX_INT64);
  });

  it.each([
    ['2562047h47m16.854775808s', /out of range: at most 2562047h47m16\.854775807s/],
    ['2562048h', /"2562048h" is out of range/],
    ['3000000h', /"3000000h" is out of range/],
    [`${'9'.repeat(400)}h`, /is out of range/],
    ['-1s', /"-1s" is not a duration/],
    ['fast', /"fast" is not a duration/],
    ['30', /"30" is not a duration/],
  ])('refuse %s', (text, message) => {
    expect(() => goDurationParam(text, refuse)).toThrow(message);
  });

  it('read a bare decimal as seconds when asked (a metrics step)', () => {
    expect(goDurationParam('30', refuse, { bareSeconds: true })).toBe(30n * S);
    expect(goDurationParam('0.5', refuse, { bareSeconds: true })).toBe(S / 2n);
    expect(goDurationParam('.5', refuse, { bareSeconds: true })).toBe(S / 2n);
    expect(goDurationParam('0.0000000001', refuse, { bareSeconds: true })).toBe(0n);
    expect(() => goDurationParam('9'.repeat(400), refuse, { bareSeconds: true })).toThrow(/out of range/);
    expect(() => goDurationParam('1e3', refuse, { bareSeconds: true })).toThrow(/not a duration/);
  });
});
