import { describe, expect, it } from 'vitest';
import { spanIdKey } from './span-id-key.js';

describe('spanIdKey', () => {
  it('is a small non-negative integer, the same for the same id', () => {
    for (const id of [
      '0000000000000000',
      'ffffffffffffffff',
      '00f067aa0ba902b7',
      'FFFFFFFFFFFFFFFF',
      'x',
      '',
    ]) {
      const key = spanIdKey(id);
      expect(Number.isInteger(key) && key >= 0 && key < 2 ** 30, id).toBe(true);
      expect(spanIdKey(id.slice())).toBe(key);
    }
    expect(spanIdKey('00F067AA0BA902B7')).toBe(spanIdKey('00f067aa0ba902b7'));
  });

  it('changes with the lowest bit of every hex digit of an 8-byte id', () => {
    const base = '0123456789abcdef';
    for (let at = 0; at < 16; at++) {
      const changed = base.slice(0, at) + (parseInt(base[at], 16) ^ 1).toString(16) + base.slice(at + 1);
      expect(spanIdKey(changed), changed).not.toBe(spanIdKey(base));
    }
  });

  it('spreads sequential and random ids over distinct keys', () => {
    const keys = new Set<number>();
    for (let i = 0; i < 10_000; i++) keys.add(spanIdKey(i.toString(16).padStart(16, '0')));
    for (let i = 0; i < 10_000; i++) keys.add(spanIdKey(`${i.toString(16).padStart(8, '0')}00000000`));
    expect(keys.size).toBe(20_000 - 1); // '0000…0' is in both runs
  });

  it('gives some different ids one key: the pairer must compare the ids too', () => {
    // The top two bits of the first half are dropped.
    expect(spanIdKey('4000000000000001')).toBe(spanIdKey('0000000000000001'));
  });
});
