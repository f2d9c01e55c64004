import { describe, expect, it } from 'vitest';
import { RowBinaryWriter } from './rowbinary-writer.js';

function written(write: (w: RowBinaryWriter) => void): Buffer {
  const w = new RowBinaryWriter(4);
  write(w);
  return w.take();
}

describe('RowBinaryWriter', () => {
  it.each([
    0n,
    1n,
    -1n,
    1_700_000_000_123_456_789n,
    -(2n ** 63n),
    2n ** 63n - 1n,
    2n ** 32n,
    -(2n ** 32n) - 7n,
  ])('writes the Int64 %s as Buffer does', (value) => {
    const expected = Buffer.alloc(8);
    expected.writeBigInt64LE(value);
    expect(written((w) => w.int64(value))).toEqual(expected);
  });

  it.each([0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 2n ** 64n - 1n, 12_345_678_901_234n])(
    'writes the UInt64 %s as Buffer does',
    (value) => {
      const expected = Buffer.alloc(8);
      expected.writeBigUInt64LE(value);
      expect(written((w) => w.uint64(value))).toEqual(expected);
    },
  );

  it('refuses 64-bit values out of range as Buffer does', () => {
    expect(() => written((w) => w.int64(2n ** 63n))).toThrow(RangeError);
    expect(() => written((w) => w.int64(-(2n ** 63n) - 1n))).toThrow(RangeError);
    expect(() => written((w) => w.uint64(-1n))).toThrow(RangeError);
    expect(() => written((w) => w.uint64(2n ** 64n))).toThrow(RangeError);
    expect(() => written((w) => w.uint32(-1))).toThrow(RangeError);
    expect(() => written((w) => w.uint32(2 ** 32))).toThrow(RangeError);
  });

  it.each([0, 1, 255, 0x01020304, 2 ** 32 - 1])('writes the UInt32 %s as Buffer does', (value) => {
    const expected = Buffer.alloc(4);
    expected.writeUInt32LE(value);
    expect(written((w) => w.uint32(value))).toEqual(expected);
  });

  it.each([0, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1])('writes the offset %s as a UInt64', (value) => {
    const expected = Buffer.alloc(8);
    expected.writeBigUInt64LE(BigInt(value));
    expect(written((w) => w.uint64Number(value))).toEqual(expected);
  });

  it.each([0, 7, 10, 99, 200, 8080, -1, -42, 1_000_000, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER])(
    'writes %s as a decimal String, as `string(String(value))` does',
    (value) => {
      expect(written((w) => w.decimal(value))).toEqual(written((w) => w.string(String(value))));
    },
  );

  it.each([
    '',
    'a',
    'abc',
    'abcd',
    'GET /users/:id',
    'grüße 日本 🙂',
    'x'.repeat(127),
    'y'.repeat(128),
    'z'.repeat(5000),
  ])('writes a String copied from UTF-8 bytes as it writes the string (%#)', (value) => {
    const source = Buffer.concat([Buffer.from('before'), Buffer.from(value), Buffer.from('after')]);
    const end = 6 + Buffer.byteLength(value);
    expect(written((w) => w.stringBytes(source, 6, end))).toEqual(written((w) => w.string(value)));
  });

  it.each([0, 1, 8, 16, 70])('writes %s bytes as the String of their lowercase hex', (length) => {
    const source = Buffer.from(Array.from({ length: length + 3 }, (_, i) => (i * 37 + 11) % 256));
    const hex = source.toString('hex', 2, 2 + length);
    expect(written((w) => w.hexBytes(source, 2, 2 + length))).toEqual(written((w) => w.string(hex)));
  });

  it('copies bytes of any length, across growth of its buffer', () => {
    const parts = [1, 3, 4, 5, 8, 63, 64, 65, 200, 513, 4000].map((n) => Buffer.alloc(n, n % 251));
    expect(written((w) => parts.forEach((p) => w.bytes(p)))).toEqual(Buffer.concat(parts));
  });
});
