import { describe, expect, it } from 'vitest';
import { InvalidQueryError } from './invalid-query-error.js';
import { allOf, rangeCondition, rangeSeconds, validateRange, withParams } from './span-query.js';

describe('span query conditions', () => {
  it('turns an inclusive range of Unix seconds into a half-open one on Timestamp', () => {
    expect(rangeCondition({ start: 100, end: 159 })).toEqual({
      sql: 'Timestamp >= toDateTime64({rangeStart:Int64}, 9) AND Timestamp < toDateTime64({rangeEnd:Int64} + 1, 9)',
      params: { rangeStart: 100, rangeEnd: 159 },
    });
    expect(rangeCondition({ start: 1, end: 1 }, 'c').sql).toMatch(/^c\.Timestamp >= .* AND c\.Timestamp < /);
    expect(rangeSeconds({ start: 100, end: 159 })).toBe(60);
  });

  it('names the field of a bad range', () => {
    expect(() => validateRange({ start: 5, end: 4 })).toThrow(
      new InvalidQueryError('end', '4 is before start 5'),
    );
    expect(() => validateRange({ start: 0.5, end: 4 })).toThrow(/^start: expected whole Unix seconds/);
    expect(() => validateRange({ start: 1, end: Infinity })).toThrow(/^end: /);
  });

  it('ANDs conditions in parentheses, skipping undefined, and merges parameters', () => {
    expect(allOf()).toEqual({ sql: '1', params: {} });
    expect(
      allOf({ sql: 'a = {a:String} OR 1', params: { a: 'x' } }, undefined, { sql: 'b', params: { b: 2 } }),
    ).toEqual({ sql: '(a = {a:String} OR 1) AND (b)', params: { a: 'x', b: 2 } });
  });

  it('refuses a parameter bound twice to different values, allows the same value', () => {
    const range = rangeCondition({ start: 1, end: 2 });
    expect(() => withParams(range, { rangeStart: 7 })).toThrow(InvalidQueryError);
    expect(withParams(range, { rangeStart: 1 }).params).toEqual({ rangeStart: 1, rangeEnd: 2 });
  });
});
