import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { decodeExportTraceServiceRequest } from './decode-traces.js';
import { encodeExportTraceServiceRequest } from './encode-traces.js';
import { DecodeCaches, ProtoReader } from './proto-reader.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';

/** The varint encoding of a non-negative bigint below 2^64. */
function varint(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

/** Reads one value with `read` from `bytes` framed by junk on both sides, as inside a request. */
function readFramed<T>(bytes: number[], read: (r: ProtoReader, end: number) => T): { value: T; pos: number } {
  const buf = Buffer.from([0xff, 0xff, ...bytes, 0xff]);
  const r = new ProtoReader(buf);
  r.pos = 2;
  const value = read(r, 2 + bytes.length);
  return { value, pos: r.pos - 2 };
}

describe('ProtoReader', () => {
  // The readers have one- and two-byte fast paths and a general slow path; each boundary is here.
  const UINT32_CASES = [0, 1, 127, 128, 300, 16383, 16384, 2 ** 21 - 1, 2 ** 21, 2 ** 28, 2 ** 32 - 1];

  it('reads uint32 varints of every length, including one ending at the end of its message', () => {
    for (const value of UINT32_CASES) {
      const bytes = varint(BigInt(value));
      expect(readFramed(bytes, (r, end) => r.uint32(end))).toEqual({ value, pos: bytes.length });
      // The last byte of the message: the two-byte fast path must not be taken past `end`.
      const buf = Buffer.from(bytes);
      const r = new ProtoReader(buf);
      expect(r.uint32(buf.length)).toBe(value);
    }
    // A negative int32 enum, sign-extended to 10 bytes, keeps its low 32 bits.
    expect(readFramed(varint(-1n), (r, end) => r.uint32(end)).value).toBe(2 ** 32 - 1);
  });

  it('reads int64 varints exactly, small ones through the fast path', () => {
    const values = [...UINT32_CASES.map(BigInt), 2n ** 53n + 1n, 2n ** 63n - 1n, -1n, -16384n, -(2n ** 63n)];
    for (const value of values) {
      const bytes = varint(value);
      expect(readFramed(bytes, (r, end) => r.int64(end))).toEqual({ value, pos: bytes.length });
      const buf = Buffer.from(bytes);
      expect(new ProtoReader(buf).int64(buf.length)).toBe(value);
    }
  });

  it('reads every int64 of one or two bytes, twice, as its own value (the shared small bigints)', () => {
    // Reading each value twice checks the first read's cached bigint too, at every index.
    for (let round = 0; round < 2; round++)
      for (let value = 0; value < 2 ** 14 + 2; value++) {
        const bytes = varint(BigInt(value));
        expect(readFramed(bytes, (r, end) => r.int64(end)).value).toBe(BigInt(value));
      }
  });

  it('refuses varints cut short by the end of their message', () => {
    expect(() => readFramed([0x80], (r, end) => r.uint32(end))).toThrow(ProtobufDecodeError);
    expect(() => readFramed([0x80, 0x80], (r, end) => r.uint32(end))).toThrow(/truncated message/);
    expect(() => readFramed([0x80], (r, end) => r.int64(end))).toThrow(/truncated message/);
    expect(() => readFramed([0xff, 0x80], (r, end) => r.int64(end))).toThrow(/truncated message/);
    expect(() => readFramed([], (r, end) => r.uint32(end))).toThrow(/truncated message/);
  });

  it('reads fixed64 timestamps exactly, across changes of the high word', () => {
    const values = [0n, 1n, 2n ** 32n - 1n, 2n ** 32n, 1_700_000_000_000_000_000n, 2n ** 64n - 1n];
    const buf = Buffer.alloc(8 * values.length);
    values.forEach((v, i) => buf.writeBigUInt64LE(v, 8 * i));
    const r = new ProtoReader(buf);
    for (const value of [...values, ...[...values].reverse()]) {
      r.pos = 8 * values.indexOf(value);
      expect(r.fixed64(buf.length)).toBe(value);
    }
  });

  it('cuts strings from any 32 KiB text chunk, across chunk boundaries and out of order', () => {
    // ASCII text with a non-ASCII string in the middle; strings of every length end near 32768 and 65536.
    const text = Buffer.from('abcdefghijklmnopqrstuvwxyz0123456789'.repeat(3000));
    Buffer.from('é日本', 'utf8').copy(text, 40000);
    const ranges: [number, number][] = [];
    for (const boundary of [32768, 65536])
      for (let start = boundary - 20; start <= boundary; start++)
        for (const length of [1, 5, 12, 13, 20]) ranges.push([start, start + length]);
    ranges.push([39990, 40020], [0, 13], [100000, 100050], [5, 6], [text.length - 3, text.length]);
    const r = new ProtoReader(text);
    for (const [start, stop] of [...ranges, ...[...ranges].reverse()])
      expect(r.stringAt(start, stop)).toBe(text.toString('utf8', start, stop));
  });

  it('finds a non-ASCII byte at any place in a string of any length (the check reads four bytes at a time)', () => {
    for (let length = 1; length <= 20; length++)
      for (let at = 0; at < length; at++)
        for (const offset of [0, 1, 2, 3]) {
          const bytes = Buffer.alloc(offset + length + 3, 'a');
          bytes[offset + at] = 0xe9; // a lone latin1 é: invalid UTF-8, so decoded as U+FFFD
          const r = new ProtoReader(bytes);
          expect(r.stringAt(offset, offset + length)).toBe(bytes.toString('utf8', offset, offset + length));
          expect(r.verbatim).toBe(false);
        }
  });

  it('reads fixed32 flags and doubles at any alignment', () => {
    for (const offset of [0, 1, 2, 3]) {
      const buf = Buffer.alloc(offset + 12);
      buf.writeUInt32LE(0xfffffffe, offset);
      buf.writeDoubleLE(-1.5e300, offset + 4);
      const r = new ProtoReader(buf);
      r.pos = offset;
      expect(r.fixed32(buf.length)).toBe(0xfffffffe);
      expect(r.double(buf.length)).toBe(-1.5e300);
    }
  });

  it('decodes realistic 512-span batches exactly with one long-lived cache (many text chunks each)', () => {
    const caches = new DecodeCaches();
    for (let seed = 1; seed <= 4; seed++) {
      const batch = makeRealisticBatch(512, seed);
      const bytes = encodeExportTraceServiceRequest(batch);
      expect(bytes.length).toBeGreaterThan(4 * 32768);
      expect(decodeExportTraceServiceRequest(bytes, caches)).toEqual(batch);
    }
  });
});
