import { describe, expect, it } from 'vitest';
import { BadSearchParameter } from './search-errors.js';
import { MAX_UNIX_SECONDS, unixSecondsParam, unixSecondsRange } from './unix-seconds-params.js';

describe('Unix seconds parameters (strconv.ParseInt, as Tempo reads start and end)', () => {
  it.each([
    ['0', 0],
    ['1700000000', 1_700_000_000],
    ['0001700000000', 1_700_000_000],
    [String(MAX_UNIX_SECONDS), MAX_UNIX_SECONDS],
  ])('%s', (text, seconds) => {
    expect(unixSecondsParam(text, 'start')).toBe(seconds);
  });

  it('reads an empty value as absent', () => {
    expect(unixSecondsParam('', 'start')).toBeUndefined();
    expect(unixSecondsParam(undefined, 'start')).toBeUndefined();
  });

  it.each([
    ['0x10', /^invalid end: "0x10" is not Unix seconds$/],
    [' ', /^invalid end: " " is not Unix seconds$/],
    [' 5', /not Unix seconds/],
    ['1e3', /not Unix seconds/],
    ['1e300', /not Unix seconds/],
    ['-1', /not Unix seconds/],
    ['+1', /not Unix seconds/],
    ['1.5', /not Unix seconds/],
    [String(MAX_UNIX_SECONDS + 1), /^invalid end: 9223372036 is out of range/],
    ['9223372036854775807', /out of range/],
    ['9'.repeat(400), /out of range/],
  ])('refuses %j', (text, message) => {
    expect(() => unixSecondsParam(text, 'end')).toThrow(BadSearchParameter);
    expect(() => unixSecondsParam(text, 'end')).toThrow(message);
  });

  it('defaults to the hour before end, but not before 1970', () => {
    const nowMs = 1_700_000_000_500;
    expect(unixSecondsRange(undefined, undefined, nowMs)).toEqual({
      start: 1_699_996_401,
      end: 1_700_000_001,
    });
    expect(unixSecondsRange('', '100', nowMs)).toEqual({ start: 0, end: 100 });
    expect(unixSecondsRange('5', '', nowMs)).toEqual({ start: 5, end: 1_700_000_001 });
    expect(() => unixSecondsRange('10', '5', nowMs)).toThrow(/^invalid start: must be before end$/);
  });
});
