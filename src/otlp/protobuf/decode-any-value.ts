import type { AnyValue, KeyValue } from '../../model/attributes.js';
import type { ProtoReader } from './proto-reader.js';
import { KeyValueRecord, newList } from './model-records.js';
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

/** Nesting deeper than this is refused: recursion on hostile input must not overflow the stack. */
export const MAX_DEPTH = 64;

/** Decodes a `KeyValue` message into `out`. */
export function decodeKeyValue(r: ProtoReader, end: number, out: KeyValue[], depth = 0): void {
  let key = '';
  let value: AnyValue = null;
  let valueSeen = false;
  while (r.pos < end) {
    const tag = r.uint32(end);
    switch (tag) {
      case KV_KEY:
        key = r.string(end);
        break;
      case KV_VALUE: {
        if (valueSeen) r.verbatim = false;
        valueSeen = true;
        const valueEnd = r.lengthEnd(end);
        value = decodeScalarAnyValue(r, valueEnd);
        if (r.pos !== valueEnd) value = decodeAnyValue(r, valueEnd, depth);
        break;
      }
      default:
        checkUnknown(r, tag, end, 'KeyValue', 2);
    }
  }
  out.push(new KeyValueRecord(key, value));
}

/**
 * The common case, an AnyValue holding exactly one string, int, bool or double, read without a
 * loop. Returns with `r.pos` at `end` when it applied; otherwise leaves `r.pos` untouched so the
 * general decoder reads the message from the start.
 */
function decodeScalarAnyValue(r: ProtoReader, end: number): AnyValue {
  const start = r.pos;
  if (start >= end) return null;
  let value: AnyValue;
  switch (r.buf[start]) {
    case AV_STRING:
      r.pos = start + 1;
      value = r.string(end);
      break;
    case AV_INT:
      r.pos = start + 1;
      value = r.int64(end);
      break;
    case AV_BOOL:
      r.pos = start + 1;
      value = r.bool(end);
      break;
    case AV_DOUBLE:
      r.pos = start + 1;
      value = r.double(end);
      break;
    default:
      return null;
  }
  if (r.pos !== end) r.pos = start;
  return value;
}

/** Decodes an `AnyValue` message ending at `end`; a oneof that is set twice keeps the last, as protobuf does. */
export function decodeAnyValue(r: ProtoReader, end: number, depth: number): AnyValue {
  if (depth > MAX_DEPTH) tooDeep(r);
  let value: AnyValue = null;
  let members = 0;
  while (r.pos < end) {
    const tag = r.uint32(end);
    // A second oneof member (or the same message twice, which protobuf would merge) is not kept verbatim.
    if (tag >= AV_STRING && tag <= AV_BYTES && ++members > 1) r.verbatim = false;
    switch (tag) {
      case AV_STRING:
        value = r.string(end);
        break;
      case AV_BOOL:
        value = r.bool(end);
        break;
      case AV_INT:
        value = r.int64(end);
        break;
      case AV_DOUBLE:
        value = r.double(end);
        break;
      case AV_ARRAY:
        value = decodeArrayValue(r, r.lengthEnd(end), depth + 1);
        break;
      case AV_KVLIST:
        value = { kvlistValue: decodeKeyValueList(r, r.lengthEnd(end), depth + 1) };
        break;
      case AV_BYTES:
        value = r.bytes(end);
        break;
      default:
        checkUnknown(r, tag, end, 'AnyValue', 7);
    }
  }
  r.pos = end;
  return value;
}

function decodeArrayValue(r: ProtoReader, end: number, depth: number): AnyValue[] {
  const values = newList<AnyValue>();
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === LIST_VALUES) values.push(decodeAnyValue(r, r.lengthEnd(end), depth));
    else checkUnknown(r, tag, end, 'ArrayValue', 1);
  }
  return values;
}

function decodeKeyValueList(r: ProtoReader, end: number, depth: number): KeyValue[] {
  const values = newList<KeyValue>();
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag === LIST_VALUES) {
      const stop = r.lengthEnd(end);
      decodeKeyValue(r, stop, values, depth);
      r.pos = stop;
    } else checkUnknown(r, tag, end, 'KeyValueList', 1);
  }
  return values;
}

function tooDeep(r: ProtoReader): never {
  throw r.error(`AnyValue nested deeper than ${MAX_DEPTH} levels`);
}

/**
 * Skips a field this decoder does not know (forward compatibility), but refuses a known field
 * (numbered up to `lastKnownField`) that came with the wrong wire type: that is corrupt data.
 */
export function checkUnknown(
  r: ProtoReader,
  tag: number,
  end: number,
  message: string,
  lastKnownField: number,
): void {
  const field = tag >>> 3;
  const wireType = tag & 7;
  if (field === 0) throw r.error(`${message}: invalid field number 0`);
  if (field <= lastKnownField) throw r.error(`${message}: field ${field} has wrong wire type ${wireType}`);
  r.verbatim = false;
  r.skip(wireType, end, field);
}
