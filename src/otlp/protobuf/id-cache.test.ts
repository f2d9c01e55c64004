import { describe, expect, it } from 'vitest';
import { IdCache } from './id-cache.js';

describe('IdCache', () => {
  it('gives back the hex of every id, ids that differ in one byte included, at any alignment', () => {
    const cache = new IdCache();
    for (let length = 1; length <= 16; length++)
      for (let at = 0; at < length; at++)
        for (const offset of [0, 1, 2, 3]) {
          // The same id twice (a hit), then with one byte changed: slot chosen by the last two bytes.
          const buf = Buffer.alloc(offset + length + 1, 0xab);
          const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
          for (let round = 0; round < 2; round++)
            expect(cache.hex(buf, view, offset, offset + length)).toBe(
              buf.toString('hex', offset, offset + length),
            );
          buf[offset + at] = 0xac;
          expect(cache.hex(buf, view, offset, offset + length)).toBe(
            buf.toString('hex', offset, offset + length),
          );
        }
  });
});
