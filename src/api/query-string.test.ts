import { describe, expect, it } from 'vitest';
import { RepeatedParameterError, singleParam, singleParams } from './query-string.js';

describe('singleParam', () => {
  it('reads a value given once, absent as undefined, empty as empty', () => {
    expect(singleParam({ q: '{ }' }, 'q')).toBe('{ }');
    expect(singleParam({}, 'q')).toBeUndefined();
    expect(singleParam({ q: '' }, 'q')).toBe('');
  });

  it('refuses a value given twice, even the same twice, naming the parameter and the count', () => {
    const repeated = () => singleParam({ step: ['30s', '30s', '60s'] }, 'step');
    expect(repeated).toThrow(RepeatedParameterError);
    expect(repeated).toThrow(
      expect.objectContaining({
        param: 'step',
        count: 3,
        detail: 'given 3 times; give it once',
        message: 'step: given 3 times; give it once',
      }) as Error,
    );
  });
});

describe('singleParams', () => {
  it('keeps the named parameters given, and checks only those', () => {
    expect(singleParams({ q: 'x', limit: '5', other: ['a', 'b'] }, ['q', 'limit', 'spss'])).toEqual({
      q: 'x',
      limit: '5',
    });
    expect(() => singleParams({ limit: ['5', '6'] }, ['q', 'limit'])).toThrow('limit: given 2 times');
  });
});
