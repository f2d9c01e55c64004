import '../../otlp/protobuf/buffer-internals.js';

const TWO_POW_32 = 2 ** 32;
const MIN_INT64 = -(2n ** 63n);
const MAX_INT64 = 2n ** 63n - 1n;
const MAX_UINT64 = 2n ** 64n - 1n;

/*
 * A 64-bit integer goes through these to become two 32-bit words: Buffer's writeBigInt64LE does
 * three BigInt operations per value, each a new BigInt (~55 ns a value, and the garbage), where a
 * typed-array store converts without allocating (~5 ns). The words are the platform's order, so
 * this is used only where that is little-endian (every platform Node ships for but s390x).
 */
const scratchSigned = new BigInt64Array(1);
const scratchUnsigned = new BigUint64Array(scratchSigned.buffer);
const scratchWords = new Uint32Array(scratchSigned.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const EMPTY = new Uint8Array(0);

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** For each byte, its two lowercase hex digits as a little-endian UInt16 (first digit low). */
const HEX_PAIRS = new Uint16Array(256);
for (let b = 0; b < 256; b++) {
  const digits = b.toString(16).padStart(2, '0');
  HEX_PAIRS[b] = digits.charCodeAt(0) | (digits.charCodeAt(1) << 8);
}

const DIGIT_ZERO = 0x30;
const MINUS = 0x2d;

/**
 * Writes ClickHouse's RowBinary format (docs: "Formats › RowBinary"): values back to back, no
 * names or separators, little-endian numbers, strings and collections prefixed by a LEB128
 * length. The store writes spans this way because ClickHouse reads RowBinary files several times
 * faster than any text format, and the bytes can sit in the write-ahead log as they are.
 */
export class RowBinaryWriter {
  private buf: Buffer;
  private pos = 0;
  /** `buf` as a DataView, for copies four bytes at a time (see `copy`). */
  private view: DataView;
  /**
   * The last source `copy` read four bytes at a time, and its DataView: one per source (a request,
   * a resource's shared map), not one per copy. Keyed by the view, not its memory: reading
   * `.buffer` is a call V8 does not inline, which cost more than the copies.
   */
  private source: Uint8Array = EMPTY;
  private sourceView: DataView = new DataView(EMPTY.buffer);

  constructor(initialSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
    this.view = viewOf(this.buf);
  }

  get length(): number {
    return this.pos;
  }

  /** The bytes written, without a copy; the writer must not be used afterwards. */
  finish(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /** The bytes written so far, without a copy: valid until the next write or `reset`. */
  contents(): Buffer {
    return this.buf.subarray(0, this.pos);
  }

  /**
   * The bytes written since `start` (an earlier `length`), without a copy: they stay valid after
   * the writer grows (the view keeps the old buffer), until `reset`.
   */
  contentsFrom(start: number): Buffer {
    return this.buf.subarray(start, this.pos);
  }

  /** Forgets what was written, keeping the buffer for the next use. */
  reset(): void {
    this.pos = 0;
  }

  /** The bytes written so far, copied out so the writer can be reused. */
  take(): Buffer {
    const out = Buffer.from(this.buf.subarray(0, this.pos));
    this.pos = 0;
    return out;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
    this.view = viewOf(grown);
  }

  /** LEB128 unsigned, for lengths and element counts. */
  varUInt(value: number): void {
    this.ensure(10);
    while (value > 0x7f) {
      this.buf[this.pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buf[this.pos++] = value;
  }

  uint8(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  int8(value: number): void {
    this.ensure(1);
    this.buf.writeInt8(value, this.pos);
    this.pos += 1;
  }

  uint32(value: number): void {
    this.ensure(4);
    // Out of range (or not a number): Buffer's own write, for its RangeError.
    if (!(value >= 0 && value <= 0xffffffff)) this.buf.writeUInt32LE(value, this.pos);
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = value;
    buf[p++] = value >>> 8;
    buf[p++] = value >>> 16;
    buf[p++] = value >>> 24;
    this.pos = p;
  }

  /** A UInt64 from a whole number below 2^53 (offsets, counts, durations), without a BigInt. */
  uint64Number(value: number): void {
    this.ensure(8);
    if (value < TWO_POW_32) {
      // Nearly always (offsets within a block): no division.
      this.view.setUint32(this.pos, value, true);
      this.view.setUint32(this.pos + 4, 0, true);
      this.pos += 8;
      return;
    }
    const low = value % TWO_POW_32;
    const high = (value - low) / TWO_POW_32;
    const buf = this.buf;
    let p = this.pos;
    buf[p++] = low & 0xff;
    buf[p++] = (low >>> 8) & 0xff;
    buf[p++] = (low >>> 16) & 0xff;
    buf[p++] = low >>> 24;
    buf[p++] = high & 0xff;
    buf[p++] = (high >>> 8) & 0xff;
    buf[p++] = (high >>> 16) & 0xff;
    buf[p++] = high >>> 24;
    this.pos = p;
  }

  uint64(value: bigint): void {
    this.ensure(8);
    // Out of range: Buffer's own write, for the RangeError it throws.
    if (!LITTLE_ENDIAN || value < 0n || value > MAX_UINT64) {
      this.buf.writeBigUInt64LE(value, this.pos);
      this.pos += 8;
      return;
    }
    scratchUnsigned[0] = value;
    this.words();
  }

  int64(value: bigint): void {
    this.ensure(8);
    if (!LITTLE_ENDIAN || value < MIN_INT64 || value > MAX_INT64) {
      this.buf.writeBigInt64LE(value, this.pos);
      this.pos += 8;
      return;
    }
    scratchSigned[0] = value;
    this.words();
  }

  /** The 64-bit value in `scratchWords`, little-endian; `ensure(8)` was called. */
  private words(): void {
    this.view.setUint32(this.pos, scratchWords[0], true);
    this.view.setUint32(this.pos + 4, scratchWords[1], true);
    this.pos += 8;
  }

  float64(value: number): void {
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /**
   * `String` and `LowCardinality(String)` alike: LowCardinality is a storage detail, not a wire
   * one. Short ASCII strings — nearly all keys and values — are copied byte by byte here, which
   * is several times cheaper than measuring and encoding them through two calls into C++.
   */
  string(value: string): void {
    const length = value.length;
    if (length < 0x80) {
      this.ensure(length + 1);
      const buf = this.buf;
      const start = this.pos + 1;
      let i = 0;
      for (; i < length; i++) {
        const c = value.charCodeAt(i);
        if (c >= 0x80) break;
        buf[start + i] = c;
      }
      if (i === length) {
        buf[this.pos] = length;
        this.pos = start + length;
        return;
      }
    }
    const bytes = Buffer.byteLength(value, 'utf8');
    this.varUInt(bytes);
    this.ensure(bytes);
    this.pos += this.buf.utf8Write(value, this.pos, bytes);
  }

  /**
   * A string whose UTF-8 bytes are `src[start, end)`: the same bytes as `string` of it, copied
   * rather than encoded (the store copies strings of a received request this way).
   */
  stringBytes(src: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length < 0x80) {
      this.ensure(length + 1);
      this.buf[this.pos++] = length;
    } else {
      this.varUInt(length);
      this.ensure(length);
    }
    this.copy(src, start, length);
  }

  /**
   * The String of `src[start, end)` in lowercase hex, as the model holds ids (ProtoReader.hex): the
   * same bytes as `string` of that hex, without the string.
   */
  hexBytes(src: Uint8Array, start: number, end: number): void {
    const length = 2 * (end - start);
    this.varUInt(length);
    this.ensure(length);
    const view = this.view;
    let p = this.pos;
    for (let i = start; i < end; i++, p += 2) view.setUint16(p, HEX_PAIRS[src[i]], true);
    this.pos = p;
  }

  /**
   * A safe integer as `String(value)` would write it (a `String` value, decimal digits), without
   * making that string: the collector's string form of an int attribute.
   */
  decimal(value: number): void {
    const negative = value < 0;
    let rest = negative ? -value : value;
    let digits = 1;
    for (let n = rest; n >= 10; n = Math.floor(n / 10)) digits++;
    const length = negative ? digits + 1 : digits;
    this.ensure(length + 1);
    const buf = this.buf;
    const start = this.pos;
    buf[start] = length;
    if (negative) buf[start + 1] = MINUS;
    for (let p = start + length; p > start + length - digits; p--) {
      buf[p] = DIGIT_ZERO + (rest % 10);
      rest = Math.floor(rest / 10);
    }
    this.pos = start + length + 1;
  }

  /** Appends bytes written earlier (a resource's or scope's columns, shared by all its spans). */
  bytes(value: Buffer): void {
    this.ensure(value.length);
    this.copy(value, 0, value.length);
  }

  /**
   * Copies `src[start, start + length)` to `pos`, room for which was ensured. Strings and shared
   * maps are mostly 4 to 200 bytes: a JavaScript loop costs less there than `copy`'s call into
   * C++ (~100 ns), and moving four bytes at a time through DataViews (unaligned reads and writes
   * are fine) a quarter of a byte loop.
   */
  private copy(src: Uint8Array, start: number, length: number): void {
    const at = this.pos;
    this.pos = at + length;
    // Short ones (span kinds, status codes, small ids: many sources taking turns) byte by byte.
    if (length < 16) {
      for (let i = 0; i < length; i++) this.buf[at + i] = src[start + i];
      return;
    }
    if (length > 512) {
      this.buf.set(src.subarray(start, start + length), at);
      return;
    }
    if (src !== this.source) {
      this.source = src;
      this.sourceView = viewOf(src);
    }
    const from = this.sourceView;
    const to = this.view;
    const last = length - 4;
    for (let i = 0; i < last; i += 4) to.setInt32(at + i, from.getInt32(start + i, true), true);
    // The last four bytes, overlapping the ones before when the length is not a multiple of 4.
    to.setInt32(at + last, from.getInt32(start + last, true), true);
  }

  /** `DateTime64(9)`: nanoseconds since the epoch as Int64. */
  dateTime64Nanos(nanos: bigint): void {
    this.int64(nanos);
  }

  /** `Map(String, String)` from parallel arrays of keys and values. */
  stringMap(keys: readonly string[], values: readonly string[]): void {
    this.varUInt(keys.length);
    for (let i = 0; i < keys.length; i++) {
      this.string(keys[i]);
      this.string(values[i]);
    }
  }

  stringArray(values: readonly string[]): void {
    this.varUInt(values.length);
    for (const value of values) this.string(value);
  }
}
