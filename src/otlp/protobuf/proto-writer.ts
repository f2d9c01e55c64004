import './buffer-internals.js';
import { WireType } from './proto-reader.js';

const TWO_POW_32 = 4294967296;
const HEX = /^[0-9a-fA-F]*$/;

/**
 * Writes protobuf into a growing buffer. A nested message reserves one byte for its length and
 * moves its body if the length needs more, so output is canonical (minimal varints) in one pass.
 */
export class ProtoWriter {
  private buf: Buffer;
  private pos = 0;
  private readonly starts: number[] = [];

  constructor(initialSize = 1024) {
    this.buf = Buffer.allocUnsafe(initialSize);
  }

  finish(): Buffer {
    if (this.starts.length !== 0) throw new Error('ProtoWriter.finish() inside an unfinished message');
    return this.buf.subarray(0, this.pos);
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
    const v = BigInt.asUintN(64, value);
    this.buf.writeUInt32LE(Number(v % 0x100000000n), this.pos);
    this.buf.writeUInt32LE(Number(v / 0x100000000n), this.pos + 4);
    this.pos += 8;
  }

  fixed32Field(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, WireType.I32);
    this.ensure(4);
    this.buf.writeUInt32LE((value % TWO_POW_32) >>> 0, this.pos);
    this.pos += 4;
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
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(length);
    this.ensure(length);
    this.pos += this.buf.utf8Write(value, this.pos, length);
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
    if (hex.length % 2 !== 0 || !HEX.test(hex))
      throw new TypeError(`id ${JSON.stringify(hex)} is not an even-length hex string`);
    this.tag(field, WireType.LEN);
    this.varint(length);
    this.ensure(length);
    this.pos += this.buf.write(hex, this.pos, length, 'hex');
  }

  /** Opens a length-delimited sub-message; close it with `endMessage()`. */
  beginMessage(field: number): void {
    this.tag(field, WireType.LEN);
    this.ensure(1);
    this.starts.push(this.pos);
    this.pos += 1;
  }

  endMessage(): void {
    const start = this.starts.pop();
    if (start === undefined) throw new Error('ProtoWriter.endMessage() without beginMessage()');
    const length = this.pos - start - 1;
    if (length < 0x80) {
      this.buf[start] = length;
      return;
    }
    const lengthBytes = varintSize(length);
    this.ensure(lengthBytes - 1);
    this.buf.copyWithin(start + lengthBytes, start + 1, this.pos);
    let value = length;
    let p = start;
    while (value > 0x7f) {
      this.buf[p++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.buf[p] = value;
    this.pos += lengthBytes - 1;
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
