import { isUtf8 } from 'node:buffer';
import './buffer-internals.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { IdCache } from './id-cache.js';
import { KeyCache } from './key-cache.js';

export const WireType = {
  VARINT: 0,
  I64: 1,
  LEN: 2,
  SGROUP: 3,
  EGROUP: 4,
  I32: 5,
} as const;

const TWO_POW_32 = 4294967296;

/** Caches that outlive one request: a receiver keeps one and passes it to every decode. */
export class DecodeCaches {
  readonly ids = new IdCache();
  readonly keys = new KeyCache();
}

/**
 * A cursor over protobuf bytes. Every read checks its bounds against `end`, the end of the
 * message being read, so a length that points past its parent is caught where it happens.
 */
export class ProtoReader {
  readonly buf: Buffer;
  pos: number;
  /**
   * True while the model read so far says everything the bytes say, so that the bytes could be
   * forwarded in place of re-encoding the model (see model/request-bytes.ts). The decoders clear
   * it where they let something go: a skipped unknown or deprecated field, invalid UTF-8 read as
   * U+FFFD, a singular message or oneof given twice (protobuf merges; these decoders keep the last).
   */
  verbatim = true;
  private readonly ids: IdCache;
  private readonly keys: KeyCache;
  private text: string | undefined;

  constructor(buf: Buffer, caches: DecodeCaches = new DecodeCaches()) {
    this.buf = buf;
    this.pos = 0;
    this.ids = caches.ids;
    this.keys = caches.keys;
  }

  /** Reads a varint that must fit in 32 bits unsigned (tags, lengths, enums, uint32 counts). */
  uint32(end: number): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= end) throw this.truncated(end);
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let value = b & 0x7f;
    let shift = 7;
    while (shift < 35) {
      if (pos >= end) throw this.truncated(end);
      b = buf[pos++];
      value += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) {
        this.pos = pos;
        // Negative int32 enums are sign-extended to 10 bytes; keep only the low 32 bits.
        return value > 0xffffffff ? value % TWO_POW_32 : value;
      }
      shift += 7;
    }
    // A 32-bit value written as a 64-bit varint (e.g. a negative enum): skip the high bytes.
    while (shift < 70) {
      if (pos >= end) throw this.truncated(end);
      b = buf[pos++];
      if (b < 0x80) {
        this.pos = pos;
        return value % TWO_POW_32;
      }
      shift += 7;
    }
    throw new ProtobufDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** Reads an int64 varint exactly. */
  int64(end: number): bigint {
    const buf = this.buf;
    let pos = this.pos;
    let lo = 0;
    let hi = 0;
    let shift = 0;
    let b: number;
    do {
      if (pos >= end) throw this.truncated(end);
      if (shift >= 70) throw new ProtobufDecodeError(`varint longer than 10 bytes at byte ${this.pos}`);
      b = buf[pos++];
      if (shift < 28) lo |= (b & 0x7f) << shift;
      else if (shift === 28) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >>> 4;
      } else hi |= (b & 0x7f) << (shift - 32);
      shift += 7;
    } while (b >= 0x80);
    this.pos = pos;
    if (hi === 0 && lo >= 0) return BigInt(lo);
    return BigInt.asIntN(64, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  }

  fixed64(end: number): bigint {
    const pos = this.pos;
    if (pos + 8 > end) throw this.truncated(end);
    this.pos = pos + 8;
    const buf = this.buf;
    const lo = buf[pos] + buf[pos + 1] * 0x100 + buf[pos + 2] * 0x10000 + buf[pos + 3] * 0x1000000;
    const hi = buf[pos + 4] + buf[pos + 5] * 0x100 + buf[pos + 6] * 0x10000 + buf[pos + 7] * 0x1000000;
    // Below 2^53 a double is exact and one BigInt() call is cheaper than shifting two halves.
    if (hi < 0x200000) return BigInt(hi * TWO_POW_32 + lo);
    // Timestamps of one batch share their high word (it changes every ~4.3 s), so keep its bigint.
    if (hi !== this.lastHigh) {
      this.lastHigh = hi;
      this.lastHighShifted = BigInt(hi) << 32n;
    }
    return this.lastHighShifted + BigInt(lo);
  }

  private lastHigh = -1;
  private lastHighShifted = 0n;

  fixed32(end: number): number {
    const pos = this.pos;
    if (pos + 4 > end) throw this.truncated(end);
    this.pos = pos + 4;
    return this.buf.readUInt32LE(pos);
  }

  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw this.truncated(end);
    this.pos = pos + 8;
    return this.buf.readDoubleLE(pos);
  }

  bool(end: number): boolean {
    return this.uint32(end) !== 0;
  }

  /** Reads a length prefix and returns the end offset of the bytes it announces. */
  lengthEnd(end: number): number {
    const length = this.uint32(end);
    const stop = this.pos + length;
    if (stop > end) {
      throw new ProtobufDecodeError(
        `truncated message: length ${length} at byte ${this.pos} runs past the end of its container at byte ${end}`,
      );
    }
    return stop;
  }

  /**
   * Reads a string field. ASCII strings (nearly all of them in telemetry) are cut from one
   * latin1 copy of the whole request, made on first use: `substring` is a pure-JavaScript
   * operation, and V8 shares the parent's bytes for strings of 13 characters or more, whereas a
   * `toString` per field costs a call into C++ each. The price: such strings keep the request's
   * text alive until the last of them is collected. Other strings are decoded as UTF-8.
   */
  string(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return this.stringAt(start, stop);
  }

  /** The string stored in `buf[start, stop)`, which the caller has bounds-checked. */
  stringAt(start: number, stop: number): string {
    if (start === stop) return '';
    const buf = this.buf;
    for (let i = start; i < stop; i++) {
      if (buf[i] >= 0x80) {
        if (this.verbatim && !isUtf8(buf.subarray(start, stop))) this.verbatim = false;
        return buf.utf8Slice(start, stop);
      }
    }
    return (this.text ??= buf.latin1Slice(0, buf.length)).substring(start, stop);
  }

  /** An attribute key in `buf[start, stop)` (bounds-checked by the caller), through the key cache. */
  keyAt(start: number, stop: number): string {
    return this.keys.get(this.buf, start, stop) ?? this.stringAt(start, stop);
  }

  /** Reads a bytes field as lowercase hex, the model's form for ids. */
  hex(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return start === stop ? '' : this.buf.hexSlice(start, stop);
  }

  /** Reads an id that often repeats (trace id, parent span id) as lowercase hex, through the id cache. */
  repeatedHex(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return this.ids.hex(this.buf, start, stop);
  }

  /** Reads a bytes field as a copy, so the model never pins the request buffer. */
  bytes(end: number): Uint8Array {
    const stop = this.lengthEnd(end);
    const copy = new Uint8Array(stop - this.pos);
    copy.set(this.buf.subarray(this.pos, stop));
    this.pos = stop;
    return copy;
  }

  /** Skips a field of the given wire type: unknown fields are ignored for forward compatibility. */
  skip(wireType: number, end: number, field: number): void {
    switch (wireType) {
      case WireType.VARINT:
        this.int64(end);
        return;
      case WireType.I64:
        if (this.pos + 8 > end) throw this.truncated(end);
        this.pos += 8;
        return;
      case WireType.LEN:
        this.pos = this.lengthEnd(end);
        return;
      case WireType.I32:
        if (this.pos + 4 > end) throw this.truncated(end);
        this.pos += 4;
        return;
      case WireType.SGROUP:
        this.skipGroup(field, end);
        return;
      default:
        throw new ProtobufDecodeError(`invalid wire type ${wireType} for field ${field} at byte ${this.pos}`);
    }
  }

  private skipGroup(field: number, end: number): void {
    while (this.pos < end) {
      const tag = this.uint32(end);
      const wireType = tag & 7;
      const inner = tag >>> 3;
      if (wireType === WireType.EGROUP) {
        if (inner !== field)
          throw new ProtobufDecodeError(`mismatched end group ${inner} at byte ${this.pos}`);
        return;
      }
      this.skip(wireType, end, inner);
    }
    throw this.truncated(end);
  }

  /** An error about the data at the current position. */
  error(message: string): ProtobufDecodeError {
    return new ProtobufDecodeError(`${message} (at byte ${this.pos})`);
  }

  private truncated(end: number): ProtobufDecodeError {
    return new ProtobufDecodeError(
      `truncated message: unexpected end of input at byte ${Math.min(this.pos, end)}`,
    );
  }
}
