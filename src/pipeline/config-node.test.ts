import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigNode } from './config-node.js';

/** `key: <text>` read as YAML, as load-config reads a config, then the value under `key`. */
function node(text: string): ConfigNode {
  return new ConfigNode(parse(`key: ${text}`), 'processors.batch').get('key');
}

describe('ConfigNode.number with a whole-number rule', () => {
  const whole = { min: 0, integer: true };

  it('takes whole numbers up to 2^53 − 1', () => {
    expect(node('8192').number(undefined, whole)).toBe(8192);
    expect(node('9007199254740991').number(undefined, whole)).toBe(Number.MAX_SAFE_INTEGER);
    expect(node('1e3').number(undefined, whole)).toBe(1000);
  });

  it.each([
    ['1e99', '1e+99'],
    ['9007199254740992', '9007199254740992'],
    ['99999999999999999999', '100000000000000000000'],
  ])('refuses %s, whole as a double but not exact, naming the key', (text, shown) => {
    expect(() => node(text).number(undefined, whole)).toThrow(
      `processors.batch.key: expected a whole number of at most 9007199254740991, got ${shown}`,
    );
  });

  it('still names a fraction, and a range rule, before exactness', () => {
    expect(() => node('1.5').number(undefined, whole)).toThrow('expected a whole number, got 1.5');
    expect(() => node('-1e99').number(undefined, whole)).toThrow('must be at least 0, got -1e+99');
    expect(() => node('1e99').number(undefined, { ...whole, max: 0xffffffff })).toThrow(
      'must be at most 4294967295, got 1e+99',
    );
  });

  it('leaves numbers without the rule alone (rates, percentages)', () => {
    expect(node('1e99').number(undefined, { min: 0 })).toBe(1e99);
  });
});
