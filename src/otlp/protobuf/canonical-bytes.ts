import type { AnyValue } from '../../model/attributes.js';
import { AV_BOOL, AV_DOUBLE, AV_INT, AV_STRING, KV_KEY, KV_VALUE } from './trace-field-tags.js';

/*
 * Tests of whether source bytes are exactly what ProtoWriter (encode-traces.ts) writes for the
 * values decoded from them. Protobuf lets an encoder write fields in any order, repeat them, write
 * default values, pad varints with 0x80 bytes and add fields the reader does not know; a decoder
 * reads all of these to the same values, so bytes copied for "unchanged" values are only the
 * output of a fresh encode when they pass these tests (decode-traces-with-sources.ts).
 */

/**
 * Whether the varint at `buf[pos]` is nonzero, at most 4 bytes (under 2^28: what a uint32 count,
 * kind or length in a span is) and minimal: a last byte of 0 means padding.
 */
export function isSmallCanonicalVarint(buf: Uint8Array, pos: number): boolean {
  const b0 = buf[pos];
  if (b0 < 0x80) return b0 !== 0;
  for (let i = pos + 1; i < pos + 4 && i < buf.length; i++) if (buf[i] < 0x80) return buf[i] !== 0;
  return false;
}

/**
 * Whether `buf[start, end)` is exactly one varint, minimal, and how
 * ProtoWriter.int64Field writes the int64 it decodes to: a last byte of 0 is padding, and a
 * 10-byte varint (a negative number) may only carry bit 63 in its last byte.
 */
export function isCanonicalInt64(buf: Uint8Array, start: number, end: number): boolean {
  const n = end - start;
  for (let i = start; i < end - 1; i++) if (buf[i] < 0x80) return false;
  const last = buf[end - 1];
  if (n === 1) return last < 0x80;
  return n < 10 ? last !== 0 && last < 0x80 : n === 10 && last === 1;
}

/** The end of a minimal length prefix at `pos` whose length runs exactly to `end`, or -1. */
function lengthTo(buf: Uint8Array, pos: number, end: number): number {
  let length = 0;
  let scale = 1;
  for (let i = pos; i < end && i < pos + 4; i++) {
    const b = buf[i];
    length += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return (i > pos && b === 0) || i + 1 + length !== end ? -1 : i + 1;
  }
  return -1;
}

/** The end of a minimal length-delimited field's body starting at `pos` (its length prefix), or -1. */
function lengthDelimitedEnd(buf: Uint8Array, pos: number, limit: number): number {
  let length = 0;
  let scale = 1;
  for (let i = pos; i < limit && i < pos + 4; i++) {
    const b = buf[i];
    length += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) {
      const end = i + 1 + length;
      return (i > pos && b === 0) || end > limit ? -1 : end;
    }
  }
  return -1;
}

/**
 * Whether `buf[start, end)` — a KeyValue's length prefix and body — is the canonical encoding of
 * a KeyValue with this key and scalar value (ProtoWriter's): the key first unless empty (an empty
 * string is a default, not written), then the value's AnyValue holding exactly its one member
 * (written even when it is a default: a oneof member keeps its type), every length minimal.
 * The bytes decoded to `key` and `value`; this only checks their layout.
 */
export function isCanonicalScalarKeyValue(
  buf: Uint8Array,
  start: number,
  end: number,
  key: string,
  value: AnyValue,
): boolean {
  let p = lengthTo(buf, start, end);
  if (p < 0) return false;
  if (key !== '') {
    if (buf[p] !== KV_KEY) return false;
    p = lengthDelimitedEnd(buf, p + 1, end);
    if (p < 0) return false;
  }
  if (buf[p] !== KV_VALUE) return false;
  const body = lengthTo(buf, p + 1, end);
  if (body < 0) return false;
  const member = buf[body];
  switch (typeof value) {
    case 'string':
      return member === AV_STRING && body + 1 < end && lengthTo(buf, body + 1, end) > 0;
    case 'bigint':
      return member === AV_INT && end > body + 1 && isCanonicalInt64(buf, body + 1, end);
    case 'boolean':
      return member === AV_BOOL && end === body + 2 && buf[body + 1] === (value ? 1 : 0);
    case 'number':
      // A NaN is never copied anyway: it is not === the NaN it was decoded as.
      return member === AV_DOUBLE && end === body + 9;
    default:
      // null: an AnyValue with no member.
      return value === null && body === end;
  }
}

/** A span's head fields (1–8) as tags: ids, trace state and name are LEN, kind a varint, times fixed64. */
const SPAN_HEAD_LAST_TAG = (8 << 3) | 1;
const VARINT_TAG = (6 << 3) | 0;

/**
 * Whether `buf[start, end)` is fields 1–8 of a Span written canonically: one-byte tags in strictly
 * ascending order (none repeated), none a default (an empty id or string, kind 0, a time of 0),
 * every length and the kind minimal. The span decoder read these bytes into the values it keeps
 * (decode-traces-with-sources.ts); this checks only their layout, once per span, out of the
 * decoder's loop (a check per field there used up the loop's inlining budget).
 */
export function isCanonicalSpanHead(buf: Uint8Array, start: number, end: number): boolean {
  let last = 0;
  let p = start;
  while (p < end) {
    const tag = buf[p];
    if (tag <= last || tag > SPAN_HEAD_LAST_TAG) return false;
    last = tag;
    p++;
    switch (tag & 7) {
      case 2: {
        // LEN: a minimal, nonzero length under 2^28.
        if (!isSmallCanonicalVarint(buf, p)) return false;
        p = lengthDelimitedEnd(buf, p, end);
        if (p < 0) return false;
        break;
      }
      case 1:
        if (p + 8 > end || isZero(buf, p, p + 8)) return false;
        p += 8;
        break;
      default:
        if (tag !== VARINT_TAG || !isSmallCanonicalVarint(buf, p)) return false;
        while (buf[p] >= 0x80) p++;
        p++;
    }
  }
  return p === end;
}

function isZero(buf: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (buf[i] !== 0) return false;
  return true;
}
