import '../../otlp/protobuf/buffer-internals.js';

const TWO_POW_32 = 2 ** 32;

/**
 * Writes ClickHouse's RowBinary format (docs: "Formats › RowBinary"): values back to back, no
 * names or separators, little-endian numbers, strings and collections prefixed by a LEB128
 * length. The store writes spans this way because ClickHouse reads RowBinary files several times
 * faster than any text format, and the bytes can sit in the write-ahead log as they are.
 */
export class RowBinaryWriter {
  private buf: Buffer;
  private pos = 0;

  constructor(initialSize = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
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
    this.buf.writeUInt32LE(value, this.pos);
    this.pos += 4;
  }

  /** A UInt64 from a whole number below 2^53 (offsets, counts, durations), without a BigInt. */
  uint64Number(value: number): void {
    this.ensure(8);
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
    this.buf.writeBigUInt64LE(value, this.pos);
    this.pos += 8;
  }

  int64(value: bigint): void {
    this.ensure(8);
    this.buf.writeBigInt64LE(value, this.pos);
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

  /** Appends bytes written earlier (a resource's or scope's columns, shared by all its spans). */
  bytes(value: Buffer): void {
    const length = value.length;
    this.ensure(length);
    // A short copy in JavaScript costs less than the call into C++ that `copy` makes.
    if (length <= 64) {
      const buf = this.buf;
      const at = this.pos;
      for (let i = 0; i < length; i++) buf[at + i] = value[i];
    } else value.copy(this.buf, this.pos);
    this.pos += length;
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
