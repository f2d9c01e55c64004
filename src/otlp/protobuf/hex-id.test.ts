import { describe, expect, it } from 'vitest';
import { hexId } from './hex-id.js';

describe('hexId', () => {
  it('matches Buffer hex for span ids, trace ids and every other length, at any offset', () => {
    const buf = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff));
    for (const length of [0, 1, 7, 8, 9, 15, 16, 17, 32])
      for (const start of [0, 1, 5, 256]) {
        const stop = start + length;
        expect(hexId(buf, start, stop)).toBe(buf.toString('hex', start, stop));
      }
  });

  it('covers every byte value in both nibbles', () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    for (let start = 0; start < 256; start += 8)
      expect(hexId(all, start, start + 8)).toBe(all.toString('hex', start, start + 8));
  });
});
