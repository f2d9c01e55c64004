import { describe, expect, it } from 'vitest';
import {
  BadlyEncodedParameterError,
  noteBadPercentEncoding,
  percentEncodingProblem,
  RepeatedParameterError,
  singleParam,
  singleParams,
} from './query-string.js';

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

describe('percent-encoding', () => {
  it('names the first bad escape of a value, by its character', () => {
    expect(percentEncodingProblem('%7B%20.a%20%7D')).toBeUndefined();
    expect(percentEncodingProblem('%E0%A4%A4 100%25')).toBeUndefined();
    expect(percentEncodingProblem('%E0%A4%A')).toBe(
      'not valid percent-encoding: "%E0%A4" at character 1 is not UTF-8',
    );
    expect(percentEncodingProblem('{ .a = 100% }')).toBe(
      'not valid percent-encoding: "% }" at character 11 is not % and two hex digits',
    );
    expect(percentEncodingProblem('ab%4')).toBe(
      'not valid percent-encoding: "%4" at character 3 is not % and two hex digits',
    );
    expect(percentEncodingProblem('x%FFy')).toBe(
      'not valid percent-encoding: "%FF" at character 2 is not UTF-8',
    );
    // A surrogate half encoded as UTF-8 is not UTF-8 either.
    expect(percentEncodingProblem('%ED%A0%80')).toBe(
      'not valid percent-encoding: "%ED%A0%80" at character 1 is not UTF-8',
    );
  });

  it('refuses a badly encoded parameter when it is read, and only that one', () => {
    // What Fastify parses from `q=%E0%A4%A&limit=5&x=%ZZ`: the bad values as they were sent.
    const query = { q: '%E0%A4%A', limit: '5', x: '%ZZ' };
    noteBadPercentEncoding(query, 'q=%E0%A4%A&limit=5&x=%ZZ');
    const read = () => singleParam(query, 'q');
    expect(read).toThrow(BadlyEncodedParameterError);
    expect(read).toThrow(
      expect.objectContaining({
        param: 'q',
        detail: 'not valid percent-encoding: "%E0%A4" at character 1 is not UTF-8',
      }) as Error,
    );
    expect(singleParam(query, 'limit')).toBe('5');
    expect(() => singleParams(query, ['limit', 'x'])).toThrow('x: not valid percent-encoding');
  });

  it('keeps well-encoded values, "%" itself included, and queries noted without a problem', () => {
    const query = { q: '100%', tag: 'a b' };
    noteBadPercentEncoding(query, 'q=100%25&tag=a+b');
    expect(singleParams(query, ['q', 'tag'])).toEqual({ q: '100%', tag: 'a b' });
  });
});
