import './buffer-internals.js';
import { writeAscii, writeHex } from './write-ascii.js';
import { WireType } from './proto-reader.js';

const TWO_POW_32 = 4294967296;
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const LEN_TAG_KEY = (1 << 3) | WireType.LEN;
const LEN_TAG_VALUE = (2 << 3) | WireType.LEN;
const SCRATCH_64 = new BigUint64Array(1);
const SCRATCH_32 = new Uint32Array(SCRATCH_64.buffer);
/** Which half of SCRATCH_32 holds the low 32 bits: typed arrays use the platform's byte order. */
const LOW_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
/** AnyValue.int_value (field 3), a varint. */
const INT_TAG_VALUE = (3 << 3) | WireType.VARINT;

/**
 * Strings up to this many UTF-16 units are written by a JavaScript loop that also checks they are
 * ASCII: telemetry strings are short and ASCII, and the loop saves the two calls into C++ per
 * string (`Buffer.byteLength`, then `utf8Write`) that cost more than copying ~100 bytes here.
 * Longer or non-ASCII strings take the C++ path. The bound keeps the length prefix to one byte.
 */
const ASCII_LOOP_MAX = 127;

/**
 * From this many UTF-16 units on, one `utf8Write` (a call into C++) beats the JavaScript loop:
 * the loop costs a few ns per character, ~7 ns on the sliced strings the decoder cuts from a
 * request for anything of 13 characters or more (each `charCodeAt` unwraps the slice), and the
 * call ~90 ns whatever the length. Measured with Node 20 on 13–64 character strings: the loop
 * wins below ~25, the call from ~30 (db.statement, SHA-256 digests).
 */
const UTF8_CALL_MIN = 32;

/** Up to this many bytes, `raw` copies in a loop rather than with one `set` call. */
const COPY_LOOP_MAX = 96;

/**
 * Writes protobuf into a growing buffer, canonically (minimal varints) in one pass. A nested
 * message reserves as many bytes for its length as the caller expects it to need (one unless
 * told otherwise) and moves its body only when the guess was wrong — a span is usually 128 bytes
 * to 16 KiB, so encode-traces reserves two for it and the move is the exception.
 */
export class ProtoWriter {
  private buf: Buffer;
  private pos = 0;
  /** Body start of each open message and the bytes reserved before it, as pairs. */
  private readonly open: number[] = [];

  constructor(initialSize = 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  /** Bytes written so far: where the next field starts. */
  get length(): number {
    return this.pos;
  }

  /**
   * Appends bytes that are already protobuf (whole fields: spans encoded earlier, attributes decoded
   * earlier). Runs of attributes are often under 100 bytes: a loop copies those faster than `set`
   * on a subarray, which makes an object and calls into C++.
   */
  raw(bytes: Uint8Array, start: number, end: number): void {
    const n = end - start;
    this.ensure(n);
    const buf = this.buf;
    if (n > COPY_LOOP_MAX) buf.set(bytes.subarray(start, end), this.pos);
    else for (let i = start, p = this.pos; i < end; i++, p++) buf[p] = bytes[i];
    this.pos += n;
  }

  /** A length-delimited field as `field` whose length prefix and body are `bytes[start, end)`. */
  lengthDelimitedCopy(field: number, bytes: Uint8Array, start: number, end: number): void {
    this.tag(field, WireType.LEN);
    this.raw(bytes, start, end);
  }

  finish(): Buffer {
    if (this.open.length !== 0) throw new Error('ProtoWriter.finish() inside an unfinished message');
    return this.buf.subarray(0, this.pos);
  }

  /** Forgets what was written, keeping the buffer: a view `finish` returned is overwritten next. */
  reset(): void {
    this.pos = 0;
    this.open.length = 0;
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + extra));
    this.buf.copy(grown, 0, 0, this.pos);
    this.buf = grown;
  }

  private varint(value: number): void {
    this.ensure(10);
    const buf = this.buf;
    while (value > 0x7f) {
      buf[this.pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    buf[this.pos++] = value;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  uint32Field(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, WireType.VARINT);
    this.varint(value >>> 0);
  }

  boolField(field: number, value: boolean): void {
    this.tag(field, WireType.VARINT);
    this.varint(value ? 1 : 0);
  }

  /** int64 as a varint, negative numbers in two's complement over 10 bytes, as protobuf requires. */
  int64Field(field: number, value: bigint): void {
    this.tag(field, WireType.VARINT);
    // Attribute ints are nearly always small and non-negative: one conversion, then number math.
    if (value >= 0n && value <= MAX_SAFE) {
      this.varint(Number(value));
      return;
    }
    let v = BigInt.asUintN(64, value);
    this.ensure(10);
    while (v > 0x7fn) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  fixed64Field(field: number, value: bigint): void {
    if (value === 0n) return;
    this.tag(field, WireType.I64);
    this.ensure(8);
    // Through a scratch 64-bit array instead of `& 0xffffffffn` and `>> 32n`: those allocate a
    // bigint each (two per timestamp, garbage for the collector) and cost ~6x as much. Storing
    // into a BigUint64Array wraps negative values modulo 2^64, i.e. two's complement.
    SCRATCH_64[0] = value;
    this.fixed32At(SCRATCH_32[LOW_WORD], this.pos);
    this.fixed32At(SCRATCH_32[1 - LOW_WORD], this.pos + 4);
    this.pos += 8;
  }

  fixed32Field(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, WireType.I32);
    this.ensure(4);
    this.fixed32At((value % TWO_POW_32) >>> 0, this.pos);
    this.pos += 4;
  }

  /** Little-endian 32 bits at `at`, already reserved; plain stores, cheaper than writeUInt32LE's checks. */
  private fixed32At(value: number, at: number): void {
    const buf = this.buf;
    buf[at] = value & 0xff;
    buf[at + 1] = (value >>> 8) & 0xff;
    buf[at + 2] = (value >>> 16) & 0xff;
    buf[at + 3] = value >>> 24;
  }

  doubleField(field: number, value: number): void {
    this.tag(field, WireType.I64);
    this.ensure(8);
    this.buf.writeDoubleLE(value, this.pos);
    this.pos += 8;
  }

  /** Writes a string field; empty strings are omitted as proto3 defaults unless `always`. */
  stringField(field: number, value: string, always = false): void {
    if (value === '' && !always) return;
    this.tag(field, WireType.LEN);
    const n = value.length;
    if (n < UTF8_CALL_MIN) {
      this.ensure(n + 1);
      if (writeAscii(this.buf, this.pos + 1, value)) {
        this.buf[this.pos] = n;
        this.pos += n + 1;
        return;
      }
    } else if (n <= ASCII_LOOP_MAX) {
      // One call, into room for the worst case (3 bytes a unit); a one-byte length fits unless
      // the string is long and not ASCII, which then takes the two-call path below.
      this.ensure(3 * n + 1);
      const written = this.buf.utf8Write(value, this.pos + 1, 3 * n);
      if (written <= ASCII_LOOP_MAX) {
        this.buf[this.pos] = written;
        this.pos += written + 1;
        return;
      }
    }
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(length);
    this.ensure(length);
    this.pos += this.buf.utf8Write(value, this.pos, length);
  }

  /**
   * A whole `KeyValue{key, value: AnyValue{string_value}}` as field `field`, when key and value
   * are ASCII and short enough for every length prefix to be one byte (the common attribute):
   * the lengths are then known up front, so no message is opened. Returns false, having written
   * nothing, otherwise; the caller then writes it the general way.
   */
  asciiStringKeyValue(field: number, key: string, value: string): boolean {
    const k = key.length;
    const v = value.length;
    // 6 bytes of tags and lengths inside the KeyValue; the whole must fit a one-byte length.
    if (k === 0 || k + v > 127 - 6 || field > 15) return false;
    // Room for the worst case: a value long enough for utf8Write may be 3 bytes a unit.
    this.ensure(k + (v < UTF8_CALL_MIN ? v : 3 * v) + 8);
    const buf = this.buf;
    const start = this.pos;
    buf[start] = (field << 3) | WireType.LEN;
    buf[start + 1] = k + v + 6;
    buf[start + 2] = LEN_TAG_KEY;
    buf[start + 3] = k;
    if (!writeAscii(buf, start + 4, key)) return false;
    let p = start + 4 + k;
    buf[p] = LEN_TAG_VALUE;
    buf[p + 1] = v + 2;
    buf[p + 2] = LEN_TAG_KEY; // AnyValue.string_value is field 1 too
    buf[p + 3] = v;
    p += 4;
    if (v < UTF8_CALL_MIN) {
      if (!writeAscii(buf, p, value)) return false;
    } else if (buf.utf8Write(value, p, 3 * v) !== v) {
      // More bytes than units: not ASCII (each unit is at least one byte, only ASCII exactly one).
      return false;
    }
    this.pos = p + v;
    return true;
  }

  /**
   * A whole `KeyValue{key, value: AnyValue{int_value}}` as field `field`, when the key is ASCII,
   * the int is in [0, 2^53) and every length prefix is one byte: the bytes `beginMessage`,
   * `stringField`, `int64Field` and two `endMessage`s would write, without opening messages.
   * Status codes, ports and counts are such ints. Returns false, having written nothing, otherwise.
   */
  asciiIntKeyValue(field: number, key: string, value: bigint): boolean {
    const k = key.length;
    // Number() rounds monotonically and 2^53 is a double, so this range test is exact.
    const n = Number(value);
    if (k === 0 || field > 15 || !(n >= 0 && n <= Number.MAX_SAFE_INTEGER)) return false;
    const size = varintSize(n);
    // Inside the KeyValue: key tag and length, value tag and length, int_value tag.
    const length = k + size + 5;
    if (length > 127) return false;
    this.ensure(length + 2);
    const buf = this.buf;
    const start = this.pos;
    buf[start] = (field << 3) | WireType.LEN;
    buf[start + 1] = length;
    buf[start + 2] = LEN_TAG_KEY;
    buf[start + 3] = k;
    if (!writeAscii(buf, start + 4, key)) return false;
    let p = start + 4 + k;
    buf[p] = LEN_TAG_VALUE;
    buf[p + 1] = size + 1;
    buf[p + 2] = INT_TAG_VALUE;
    p += 3;
    let rest = n;
    while (rest > 0x7f) {
      buf[p++] = (rest % 128) | 0x80;
      rest = Math.floor(rest / 128);
    }
    buf[p] = rest;
    this.pos = p + 1;
    return true;
  }

  bytesField(field: number, value: Uint8Array, always = false): void {
    if (value.length === 0 && !always) return;
    this.tag(field, WireType.LEN);
    this.varint(value.length);
    this.ensure(value.length);
    this.buf.set(value, this.pos);
    this.pos += value.length;
  }

  /** Writes a hex id as bytes; '' (absent id) is omitted. A malformed id throws rather than corrupting the message. */
  hexField(field: number, hex: string): void {
    if (hex === '') return;
    const length = hex.length >>> 1;
    const at = this.pos;
    this.tag(field, WireType.LEN);
    this.varint(length);
    this.ensure(length);
    if (hex.length % 2 !== 0 || !writeHex(this.buf, this.pos, hex)) {
      this.pos = at;
      throw new TypeError(`id ${JSON.stringify(hex)} is not an even-length hex string`);
    }
    this.pos += length;
  }

  /**
   * Opens a length-delimited sub-message; close it with `endMessage()`. `lengthBytes` is the
   * caller's guess of its length prefix's size (1: under 128 bytes, 2: under 16 KiB, 3: under 2 MiB).
   */
  beginMessage(field: number, lengthBytes = 1): void {
    this.tag(field, WireType.LEN);
    this.ensure(lengthBytes);
    this.pos += lengthBytes;
    this.open.push(this.pos, lengthBytes);
  }

  /**
   * Opens a length-prefixed value with no tag before it (a ClickHouse String in Native or RowBinary
   * is a LEB128 length and the bytes, the same varint as protobuf's); close it with `endMessage()`.
   */
  beginLengthPrefixed(lengthBytes = 1): void {
    this.ensure(lengthBytes);
    this.pos += lengthBytes;
    this.open.push(this.pos, lengthBytes);
  }

  /** Appends one byte as it is. */
  byte(value: number): void {
    this.ensure(1);
    this.buf[this.pos++] = value;
  }

  endMessage(): void {
    const reserved = this.open.pop();
    const bodyStart = this.open.pop();
    if (reserved === undefined || bodyStart === undefined)
      throw new Error('ProtoWriter.endMessage() without beginMessage()');
    let length = this.pos - bodyStart;
    const needed = varintSize(length);
    if (needed !== reserved) {
      // The guess was wrong: move the body so the prefix stays minimal.
      if (needed > reserved) this.ensure(needed - reserved);
      this.buf.copyWithin(bodyStart - reserved + needed, bodyStart, this.pos);
      this.pos += needed - reserved;
    }
    const buf = this.buf;
    let p = bodyStart - reserved;
    while (length > 0x7f) {
      buf[p++] = (length % 128) | 0x80;
      length = Math.floor(length / 128);
    }
    buf[p] = length;
  }
}

function varintSize(value: number): number {
  let size = 1;
  while (value > 0x7f) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
}
