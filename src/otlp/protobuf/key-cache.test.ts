import { describe, expect, it } from 'vitest';
import { KeyCache } from './key-cache.js';

/** `text` in a buffer between other bytes, as a key sits inside a request. */
function embedded(text: string): { buf: Buffer; start: number; stop: number } {
  const bytes = Buffer.from(text, 'utf8');
  const buf = Buffer.concat([Buffer.from([0xff, 0x0a]), bytes, Buffer.from([0x12])]);
  return { buf, start: 2, stop: 2 + bytes.length };
}

describe('KeyCache', () => {
  it('gives back every key’s text, through colliding slots and repeats', () => {
    const cache = new KeyCache();
    // Many keys of equal length force slot collisions; each must still come back as itself.
    const keys = Array.from({ length: 3000 }, (_, i) => `k.${(i * 7919).toString(36).padStart(6, '0')}`);
    for (let round = 0; round < 2; round++)
      for (const key of keys) {
        expect(cache.get(...args(key))).toBe(key);
      }
    const first = cache.get(...args('http.route'));
    expect(cache.get(...args('http.route'))).toBe(first);
  });

  it('tells apart keys that differ in one byte, at any place and length (it compares four bytes at a time)', () => {
    const cache = new KeyCache();
    for (let length = 1; length <= 48; length++)
      for (let at = 0; at < length; at++) {
        const key = 'k'.repeat(length);
        expect(cache.get(...args(key))).toBe(key);
        const other = `${key.slice(0, at)}j${key.slice(at + 1)}`;
        expect(cache.get(...args(other))).toBe(other);
      }
  });

  it('declines empty, long and non-ASCII keys, which the caller decodes itself', () => {
    const cache = new KeyCache();
    for (const key of ['', 'x'.repeat(49), 'clé', '日本']) expect(cache.get(...args(key))).toBeUndefined();
    expect(cache.get(...args('x'.repeat(48)))).toBe('x'.repeat(48));
  });
});

function args(key: string): [Buffer, DataView, number, number] {
  const { buf, start, stop } = embedded(key);
  return [buf, new DataView(buf.buffer, buf.byteOffset, buf.byteLength), start, stop];
}
