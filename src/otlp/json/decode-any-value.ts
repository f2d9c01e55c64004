import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { decodeBase64 } from './base64.js';
import { OtlpJsonDecodeError, describeJson, rethrowUnder } from './decode-error.js';
import type { JsonObject } from './json-fields.js';
import { asObject, readList, readString } from './json-fields.js';
import { decodeDouble, decodeInt64 } from './json-numbers.js';
import { MAX_DEPTH } from '../protobuf/decode-any-value.js';

/**
 * How deep arrays and kvlists may nest inside one attribute value. Each level costs a few stack
 * frames; the limit turns a hostile body into a decode error instead of a stack overflow. Real
 * attributes nest a handful of levels at most. The protobuf decoder's limit, and it must be: that
 * decoder reads stored spans back, so a value nested deeper than it takes, accepted here, was
 * stored and then failed every read of its trace.
 */
export const MAX_ANY_VALUE_DEPTH = MAX_DEPTH;

/** An `attributes` field (a list of KeyValue), as in Span, Event, Link, Resource, InstrumentationScope. */
export function readAttributes(obj: JsonObject): KeyValue[] {
  return readList(obj, 'attributes', 'attributes', decodeKeyValue);
}

// `key_strindex` (common.proto) is for the profiles signal only; other signals ignore it.
function decodeKeyValue(obj: JsonObject, depth: number): KeyValue {
  return { key: readString(obj, 'key'), value: readAnyValueField(obj, depth) };
}

function readAnyValueField(obj: JsonObject, depth: number): AnyValue {
  const value = obj.value;
  // An absent `value` and an empty AnyValue mean the same: no value.
  if (value === undefined || value === null) return null;
  try {
    return decodeAnyValue(asObject(value), depth);
  } catch (error) {
    rethrowUnder(error, 'value');
  }
}

/**
 * AnyValue's `value` oneof. Exactly one member may be set, as protojson requires; a member that is
 * JSON null counts as unset. `stringValueStrindex` is for the profiles signal only and, as
 * common.proto asks of other signals, is ignored like an unknown field.
 */
function decodeAnyValue(obj: JsonObject, depth: number): AnyValue {
  let result: AnyValue = null;
  let setBy: string | undefined;
  for (const key in obj) {
    const value = obj[key];
    if (value === null) continue;
    let decoded: AnyValue;
    switch (key) {
      case 'stringValue':
      case 'string_value':
        if (typeof value !== 'string') {
          throw new OtlpJsonDecodeError(key, `expected a string, got ${describeJson(value)}`);
        }
        decoded = value;
        break;
      case 'boolValue':
      case 'bool_value':
        if (typeof value !== 'boolean') {
          throw new OtlpJsonDecodeError(key, `expected true or false, got ${describeJson(value)}`);
        }
        decoded = value;
        break;
      case 'intValue':
      case 'int_value':
        decoded = decodeInt64(value, key);
        break;
      case 'doubleValue':
      case 'double_value':
        decoded = decodeDouble(value, key);
        break;
      case 'bytesValue':
      case 'bytes_value':
        decoded = decodeBase64(value, key);
        break;
      case 'arrayValue':
      case 'array_value':
        decoded = decodeArrayValue(value, key, depth);
        break;
      case 'kvlistValue':
      case 'kvlist_value':
        decoded = { kvlistValue: decodeKvlistValue(value, key, depth) };
        break;
      default:
        continue;
    }
    if (setBy !== undefined) throw new OtlpJsonDecodeError(key, `the value is already set by ${setBy}`);
    setBy = key;
    result = decoded;
  }
  return result;
}

// ArrayValue and KeyValueList are both `{ values: [...] }`.
function decodeArrayValue(value: unknown, key: string, depth: number): AnyValue[] {
  try {
    return readList(asObject(value), 'values', 'values', decodeAnyValue, nested(depth));
  } catch (error) {
    rethrowUnder(error, key);
  }
}

function decodeKvlistValue(value: unknown, key: string, depth: number): KeyValue[] {
  try {
    return readList(asObject(value), 'values', 'values', decodeKeyValue, nested(depth));
  } catch (error) {
    rethrowUnder(error, key);
  }
}

function nested(depth: number): number {
  if (depth >= MAX_ANY_VALUE_DEPTH) {
    throw new OtlpJsonDecodeError('', `arrays and kvlists nest deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
  }
  return depth + 1;
}
