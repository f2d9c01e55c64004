import { describe, expect, it } from 'vitest';
import { quoteLongIntegers } from './quote-long-integers.js';

describe('quoteLongIntegers', () => {
  it('quotes integer literals of 16 digits or more, outside strings only', () => {
    const text =
      '{"startTimeUnixNano":1795800000000000001, "a":[-1234567890123456789,123456789012345],' +
      '"s":"x:1234567890123456789 \\" ,1234567890123456789","d":1.5e+20,"e":12345678901234567.5}';
    expect(quoteLongIntegers(text)).toBe(
      '{"startTimeUnixNano":"1795800000000000001", "a":["-1234567890123456789",123456789012345],' +
        '"s":"x:1234567890123456789 \\" ,1234567890123456789","d":1.5e+20,"e":12345678901234567.5}',
    );
    expect(JSON.parse(quoteLongIntegers(text))).toMatchObject({ startTimeUnixNano: '1795800000000000001' });
  });

  it('returns text without such literals as it is, and leaves bad JSON bad', () => {
    const sdk = '{"startTimeUnixNano":"1795800000000000001","intValue":"42"}';
    expect(quoteLongIntegers(sdk)).toBe(sdk);
    expect(() => JSON.parse(quoteLongIntegers('{"a":12345678901234567,}')) as unknown).toThrow(SyntaxError);
    expect(quoteLongIntegers('{"a":"unterminated 12345678901234567')).toBe(
      '{"a":"unterminated 12345678901234567',
    );
  });
});
