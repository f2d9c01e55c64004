import { isUtf8 } from 'node:buffer';
import './buffer-internals.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { hexId } from './hex-id.js';
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
/**
 * The bigints of 0 to 2^14 − 1 met so far, each value an int64 varint of one or two bytes holds:
 * status codes, ports, counts and retries repeat on every span, and a bigint is a heap object, so
 * `BigInt(n)` allocated one per int attribute. Bigints are immutable primitives (`===` compares
 * values), so sharing one is invisible to the model's users. Filled on first use rather than up
 * front (2.4 ms and 330 KiB for every process and worker that loads the decoder); `undefined`
 * rather than holes, so that the array stays packed and a lookup needs no hole check.
 */
const SMALL_BIGINTS: (bigint | undefined)[] = Array.from({ length: 1 << 14 }, () => undefined);

function smallBigInt(n: number): bigint {
  const cached = SMALL_BIGINTS[n];
  return cached !== undefined ? cached : (SMALL_BIGINTS[n] = BigInt(n));
}

/** log2 of the size of the latin1 chunks strings are cut from: 32 KiB, well under V8's 128 KiB large-object limit. */
const TEXT_CHUNK_BITS = 15;
const TEXT_CHUNK_BYTES = 1 << TEXT_CHUNK_BITS;

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
  /** `buf` as a DataView, to read it four bytes at a time (ASCII checks, cache hits, fixed-width fields). */
  readonly view: DataView;
  pos: number;
  /**
   * True while the model read so far says everything the bytes say, so that the bytes could be
   * forwarded in place of re-encoding the model (see model/request-bytes.ts). The decoders clear
   * it where they let something go: a skipped unknown or deprecated field, invalid UTF-8 read as
   * U+FFFD, a singular message or oneof given twice (protobuf merges; these decoders keep the last).
   */
  verbatim = true;
  /**
   * Whether attributes are decoded as SourcedKeyValueRecords, with where their bytes lie, for an
   * encoder to copy those no processor changed (decodeExportTraceServiceRequestWithSources).
   */
  keepSources = false;
  private readonly ids: IdCache;
  private readonly keys: KeyCache;
  /** The latin1 text of chunk `textChunk` of `buf` (see `string`); -1: none made yet. */
  private text = '';
  private textChunk = -1;

  constructor(buf: Buffer, caches: DecodeCaches = new DecodeCaches()) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = 0;
    this.ids = caches.ids;
    this.keys = caches.keys;
  }

  /*
   * Why the hot readers below are a few-byte fast path with an out-of-line slow path: TurboFan
   * inlines callees into a caller until a cumulative bytecode budget (920 bytes in Node 20's V8)
   * is spent, taking the most frequent calls as counted when it optimizes. With the ~270-byte
   * readers of before, decodeSpan inlined only some of them (`--trace-turbo-inlining`), and which
   * ones depended on the warm-up: two identical copies of this module in one process differed by
   * 1.3–1.8x in 5 runs of 13. Small fast paths leave room for the rest. The two-byte case of
   * `uint32` matters too: every span's length takes two bytes, and the general loop (`2 ** shift`
   * in floating point) cost more than the rest of the tag and length reading together.
   */

  /** Reads a varint that must fit in 32 bits unsigned (tags, lengths, enums, uint32 counts). */
  uint32(end: number): number {
    const pos = this.pos;
    // One byte (tags, short lengths) or two (lengths of spans and long strings).
    if (pos + 1 < end) {
      const b0 = this.buf[pos];
      if (b0 < 0x80) {
        this.pos = pos + 1;
        return b0;
      }
      const b1 = this.buf[pos + 1];
      if (b1 < 0x80) {
        this.pos = pos + 2;
        return (b0 & 0x7f) | (b1 << 7);
      }
    }
    return this.uint32Slow(end);
  }

  private uint32Slow(end: number): number {
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
    const pos = this.pos;
    // Values below 2^14 (status codes, counts, most ports) in one or two bytes.
    if (pos + 1 < end) {
      const b0 = this.buf[pos];
      if (b0 < 0x80) {
        this.pos = pos + 1;
        return smallBigInt(b0);
      }
      const b1 = this.buf[pos + 1];
      if (b1 < 0x80) {
        this.pos = pos + 2;
        return smallBigInt((b0 & 0x7f) | (b1 << 7));
      }
    }
    return this.int64Slow(end);
  }

  private int64Slow(end: number): bigint {
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
    const lo = this.view.getUint32(pos, true);
    const hi = this.view.getUint32(pos + 4, true);
    // Timestamps of one batch share their high word (it changes every ~4.3 s), so keep its bigint:
    // one BigInt() and one addition per timestamp instead of two conversions, a shift and an or.
    if (hi !== this.lastHigh) this.setHigh(hi);
    return this.lastHighShifted + BigInt(lo);
  }

  private setHigh(hi: number): void {
    this.lastHigh = hi;
    this.lastHighShifted = BigInt(hi) << 32n;
  }

  private lastHigh = -1;
  private lastHighShifted = 0n;

  fixed32(end: number): number {
    const pos = this.pos;
    if (pos + 4 > end) throw this.truncated(end);
    this.pos = pos + 4;
    return this.view.getUint32(pos, true);
  }

  double(end: number): number {
    const pos = this.pos;
    if (pos + 8 > end) throw this.truncated(end);
    this.pos = pos + 8;
    return this.view.getFloat64(pos, true);
  }

  bool(end: number): boolean {
    return this.uint32(end) !== 0;
  }

  /** Reads a length prefix and returns the end offset of the bytes it announces. */
  lengthEnd(end: number): number {
    const length = this.uint32(end);
    const stop = this.pos + length;
    if (stop > end) throw this.pastEnd(length, end);
    return stop;
  }

  private pastEnd(length: number, end: number): ProtobufDecodeError {
    return new ProtobufDecodeError(
      `truncated message: length ${length} at byte ${this.pos} runs past the end of its container at byte ${end}`,
    );
  }

  /**
   * Reads a string field. ASCII strings (nearly all of them in telemetry) are cut from a latin1
   * copy of the request, made on first use: `substring` is a pure-JavaScript operation, and V8
   * shares the parent's bytes for strings of 13 characters or more, whereas a `toString` per
   * field costs a call into C++ each. The copy is made one 32 KiB chunk at a time
   * (TEXT_CHUNK_BYTES), not of the whole request at once: a string over 128 KiB is allocated in
   * V8's large-object space, on freshly mapped pages for every request; that copy was 16% of the
   * decode's profile (~0.5 µs per span of a 250 KB request), and chunks made the decoder 17–22%
   * faster. The price: such strings keep their chunk's text alive until the last of them is
   * collected. Other strings are decoded as UTF-8.
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
    const view = this.view;
    // OR every byte and test once: no branch per byte, and non-ASCII strings are rare. Four bytes
    // at a time (a byte loop here was ~6% of the decoder's profile), the last word overlapping the
    // one before it when the length is not a multiple of four: the OR does not mind.
    let bits = 0;
    if (stop - start >= 4) {
      for (let i = start; i < stop - 4; i += 4) bits |= view.getInt32(i, true);
      bits |= view.getInt32(stop - 4, true);
    } else for (let i = start; i < stop; i++) bits |= buf[i];
    if ((bits & 0x80808080) !== 0) return this.utf8At(start, stop);
    const chunk = start >>> TEXT_CHUNK_BITS;
    const base = chunk << TEXT_CHUNK_BITS;
    if (chunk === this.textChunk && stop - base <= TEXT_CHUNK_BYTES)
      return this.text.substring(start - base, stop - base);
    return this.latin1At(start, stop);
  }

  /** The slow path of `stringAt`: a string in another chunk than the last, or across two. */
  private latin1At(start: number, stop: number): string {
    const chunk = start >>> TEXT_CHUNK_BITS;
    if (chunk !== (stop - 1) >>> TEXT_CHUNK_BITS) return this.buf.latin1Slice(start, stop);
    const base = chunk << TEXT_CHUNK_BITS;
    this.text = this.buf.latin1Slice(base, Math.min(this.buf.length, base + TEXT_CHUNK_BYTES));
    this.textChunk = chunk;
    return this.text.substring(start - base, stop - base);
  }

  private utf8At(start: number, stop: number): string {
    if (this.verbatim && !isUtf8(this.buf.subarray(start, stop))) this.verbatim = false;
    return this.buf.utf8Slice(start, stop);
  }

  /** An attribute key in `buf[start, stop)` (bounds-checked by the caller), through the key cache. */
  keyAt(start: number, stop: number): string {
    return this.keys.get(this.buf, this.view, start, stop) ?? this.stringAt(start, stop);
  }

  /** Reads a bytes field as lowercase hex, the model's form for ids. */
  hex(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return hexId(this.buf, start, stop);
  }

  /** Reads an id that often repeats (trace id, parent span id) as lowercase hex, through the id cache. */
  repeatedHex(end: number): string {
    const stop = this.lengthEnd(end);
    const start = this.pos;
    this.pos = stop;
    return this.ids.hex(this.buf, this.view, start, stop);
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
