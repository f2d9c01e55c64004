import { describe, expect, it } from 'vitest';
import { JaegerParamError } from './jaeger-errors.js';
import { quantileParam } from './jaeger-metrics-params.js';

describe('quantile (strconv.ParseFloat, between 0 and 1)', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['0.95', 0.95],
    ['.5', 0.5],
    ['5e-1', 0.5],
    ['+0.25', 0.25],
  ])('%s', (text, value) => {
    expect(quantileParam({ quantile: text })).toBe(value);
  });

  it.each(['', '0x1', '0b1', '0o1', ' 0.5', '0.5 ', '1_0', 'NaN', 'Infinity', '2', '-0.1', '1e400'])(
    'refuses %j',
    (text) => {
      expect(() => quantileParam({ quantile: text })).toThrow(JaegerParamError);
    },
  );
});
