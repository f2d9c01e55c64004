import { checkUnknown, MAX_DEPTH } from './decode-any-value.js';
import type { ProtoReader } from './proto-reader.js';
import { checkUtf8, isAscii, lengthEnd, skipFixed, skipInt64, skipString } from './scan-reader.js';
import {
  KV_KEY,
  KV_VALUE,
  AV_STRING,
  AV_BOOL,
  AV_INT,
  AV_DOUBLE,
  AV_ARRAY,
  AV_KVLIST,
  AV_BYTES,
  LIST_VALUES,
} from './trace-field-tags.js';

/*
 * KeyValue and AnyValue (opentelemetry-proto, common/v1/common.proto) walked as
 * decode-any-value.ts decodes them — same reads in the same order, so the same errors at the same
 * bytes and the same `r.verbatim` — without building the values. Kept in step with that file by
 * scan-traces.test.ts, which compares the two over mutated inputs.
 */

/** Steps over a run of attributes whose first tag (`fieldTag`) was just read: decodeAttributes. */
export function scanAttributes(r: ProtoReader, end: number, fieldTag: number): void {
  for (;;) {
    if (!scanShortAttribute(r, end)) {
      const stop = lengthEnd(r, end);
      scanKeyValue(r, stop, 0);
    }
    if (r.pos >= end || r.buf[r.pos] !== fieldTag) return;
    r.pos++;
  }
}

/**
 * The shape of nearly every attribute — one-byte lengths, the key, then one string or int value
 * filling the KeyValue — stepped over with direct byte tests, as decodeAttributes reads it. Such
 * an attribute can hold no error and nothing unknown, so only its strings' UTF-8 matters; for a
 * string value that is one ASCII test over key and value at once, the tag and length bytes
 * between them being ASCII too. False, with `r.pos` unchanged, for any other shape.
 */
function scanShortAttribute(r: ProtoReader, end: number): boolean {
  const buf = r.buf;
  const start = r.pos;
  const kvEnd = start + 1 + buf[start];
  if (buf[start] >= 0x80 || kvEnd > end || buf[start + 1] !== KV_KEY || buf[start + 2] >= 0x80) return false;
  const keyStart = start + 3;
  const keyEnd = keyStart + buf[start + 2];
  if (keyEnd + 2 >= kvEnd || buf[keyEnd] !== KV_VALUE || keyEnd + 2 + buf[keyEnd + 1] !== kvEnd) return false;
  const valueTag = buf[keyEnd + 2];
  if (valueTag === AV_STRING && keyEnd + 4 + buf[keyEnd + 3] === kvEnd && buf[keyEnd + 3] < 0x80) {
    if (!isAscii(r, keyStart, kvEnd)) {
      checkUtf8(r, keyStart, keyEnd);
      checkUtf8(r, keyEnd + 4, kvEnd);
    }
  } else if (valueTag === AV_INT) {
    // A varint of at most 10 bytes whose last byte is the KeyValue's last.
    let last = keyEnd + 3;
    while (last < kvEnd && buf[last] >= 0x80) last++;
    if (last !== kvEnd - 1 || last - keyEnd - 3 >= 10) return false;
    checkUtf8(r, keyStart, keyEnd);
  } else return false;
  r.pos = kvEnd;
  return true;
}

/** decodeKeyValue. */
function scanKeyValue(r: ProtoReader, end: number, depth: number): void {
  let valueSeen = false;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === KV_KEY) skipString(r, end);
    else if (tag === KV_VALUE) {
      if (valueSeen) r.verbatim = false;
      valueSeen = true;
      const valueEnd = lengthEnd(r, end);
      if (!scanScalarAnyValue(r, valueEnd)) scanAnyValue(r, valueEnd, depth);
    } else checkUnknown(r, tag, end, 'KeyValue', 2);
  }
}

/**
 * decodeScalarAnyValue: true, with `r.pos` at `end`, when the AnyValue is empty or exactly one
 * string, int, bool or double; otherwise `r.pos` is back where it was. The depth limit does not
 * apply to these, in the decoder either.
 */
function scanScalarAnyValue(r: ProtoReader, end: number): boolean {
  const start = r.pos;
  if (start >= end) return true;
  r.pos = start + 1;
  switch (r.buf[start]) {
    case AV_STRING:
      skipString(r, end);
      break;
    case AV_INT:
      skipInt64(r, end);
      break;
    case AV_BOOL:
      r.uint32(end);
      break;
    case AV_DOUBLE:
      skipFixed(r, 8, end);
      break;
    default:
      r.pos = start;
      return false;
  }
  if (r.pos === end) return true;
  r.pos = start;
  return false;
}

/** decodeAnyValue. */
function scanAnyValue(r: ProtoReader, end: number, depth: number): void {
  if (depth > MAX_DEPTH) throw r.error(`AnyValue nested deeper than ${MAX_DEPTH} levels`);
  let members = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >= AV_STRING && tag <= AV_BYTES && ++members > 1) r.verbatim = false;
    switch (tag) {
      case AV_STRING:
        skipString(r, end);
        break;
      case AV_BOOL:
        r.uint32(end);
        break;
      case AV_INT:
        skipInt64(r, end);
        break;
      case AV_DOUBLE:
        skipFixed(r, 8, end);
        break;
      case AV_ARRAY:
        scanArrayValue(r, lengthEnd(r, end), depth + 1);
        break;
      case AV_KVLIST:
        scanKeyValueList(r, lengthEnd(r, end), depth + 1);
        break;
      case AV_BYTES:
        r.pos = lengthEnd(r, end);
        break;
      default:
        checkUnknown(r, tag, end, 'AnyValue', 7);
    }
  }
  r.pos = end;
}

function scanArrayValue(r: ProtoReader, end: number, depth: number): void {
  while (r.pos < end) {
    const tag = r.uint32(end);
    // Every element through the general path, depth check included, as decodeArrayValue does.
    if (tag === LIST_VALUES) scanAnyValue(r, lengthEnd(r, end), depth);
    else checkUnknown(r, tag, end, 'ArrayValue', 1);
  }
}

function scanKeyValueList(r: ProtoReader, end: number, depth: number): void {
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === LIST_VALUES) {
      const stop = lengthEnd(r, end);
      scanKeyValue(r, stop, depth);
      r.pos = stop;
    } else checkUnknown(r, tag, end, 'KeyValueList', 1);
  }
}
