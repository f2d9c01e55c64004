import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { anyValueKind } from '../../model/attributes.js';
import { attributeString } from '../../model/attribute-string.js';
import { encodeAnyValue } from '../../otlp/json/encode-any-value.js';
import type { ReceivedAttributes } from '../../otlp/protobuf/received-attributes.js';
import { NO_MEMBER } from '../../otlp/protobuf/received-attributes.js';
import {
  AV_ARRAY,
  AV_BOOL,
  AV_BYTES,
  AV_DOUBLE,
  AV_INT,
  AV_KVLIST,
  AV_STRING,
} from '../../otlp/protobuf/trace-field-tags.js';
import { ATTRIBUTE_TYPE_CODES, needsAnyValueEncoding } from '../schema/attribute-types.js';
import { RowBinaryWriter } from '../rowbinary/rowbinary-writer.js';

/*
 * One attribute list is stored as three maps (see schema/attribute-types.ts): the collector's
 * string map, the type map (non-strings only, and the strings of a key repeated with a non-string:
 * see stringsSharingTypedKeys) and the exact-value map (arrays and kvlists only).
 * Each writer appends one map's keys and values to a map column's key and value streams and
 * returns how many entries it wrote (the column's offsets are the caller's).
 *
 * `received`, when given, is the list as it lies in the request the batch was received as
 * (otlp/protobuf/received-attributes.ts): keys, strings, small ints, bools and every value's
 * type are then read from those bytes, in order, rather than from the model's objects, spread
 * over the heap (the cache misses of reading those were most of this code's time). The bytes say
 * exactly the model (model/request-bytes.ts), so the rows are the same. Other values (doubles,
 * bytes, large or negative ints, arrays, kvlists) come from the model.
 */
export type MapEntriesWriter = (
  keys: RowBinaryWriter,
  values: RowBinaryWriter,
  attributes: readonly KeyValue[],
  received: ReceivedAttributes | undefined,
) => number;

export const writeStringMap: MapEntriesWriter = (keys, values, attributes, received) => {
  if (received === undefined) {
    for (const kv of attributes) {
      keys.string(kv.key);
      writeValueString(values, kv.value);
    }
    return attributes.length;
  }
  const { bytes, members } = received;
  const { keys: keyRanges, values: valueRanges } = received;
  for (let i = 0; i < attributes.length; i++) {
    keys.stringBytes(bytes, keyRanges.starts[i], keyRanges.ends[i]);
    const member = members[i];
    const start = valueRanges.starts[i];
    if (member === AV_STRING) values.stringBytes(bytes, start, valueRanges.ends[i]);
    else if (member === NO_MEMBER) values.uint8(0);
    else if (member === AV_BOOL && valueRanges.ends[i] === start + 1 && bytes[start] <= 1)
      values.bytes(bytes[start] === 1 ? TRUE : FALSE);
    else {
      const int = member === AV_INT ? received.smallInt(i) : -1;
      if (int >= 0) values.decimal(int);
      else writeValueString(values, attributes[i].value);
    }
  }
  return attributes.length;
};

export const writeTypeMap: MapEntriesWriter = (keys, values, attributes, received) => {
  const sharing = stringsSharingTypedKeys(attributes, received);
  let typed = 0;
  if (received === undefined) {
    for (let i = 0; i < attributes.length; i++) {
      const kv = attributes[i];
      if (typeof kv.value === 'string' && sharing?.[i] !== 1) continue;
      keys.string(kv.key);
      values.int8(ATTRIBUTE_TYPE_CODES[anyValueKind(kv.value)]);
      typed++;
    }
    return typed;
  }
  const members = received.members;
  for (let i = 0; i < attributes.length; i++) {
    const member = members[i];
    if (member === AV_STRING && sharing?.[i] !== 1) continue;
    writeReceivedKey(keys, received, i);
    const code = MEMBER_TYPE_CODES[member];
    values.int8(code >= 0 ? code : ATTRIBUTE_TYPE_CODES[anyValueKind(attributes[i].value)]);
    typed++;
  }
  return typed;
};

export const writeAnyValueMap: MapEntriesWriter = (keys, values, attributes, received) => {
  let structured = 0;
  for (let i = 0; i < attributes.length; i++) {
    // Received: only arrays and kvlists are structured, so only theirs need the model's value.
    if (received !== undefined && received.members[i] !== AV_ARRAY && received.members[i] !== AV_KVLIST)
      continue;
    const kv = attributes[i];
    if (!isStructured(kv.value)) continue;
    if (received === undefined) keys.string(kv.key);
    else writeReceivedKey(keys, received, i);
    values.string(JSON.stringify(encodeAnyValue(kv.value)));
    structured++;
  }
  return structured;
};

/**
 * The ranges of `received` when they are this list's, else undefined (the model is encoded): a
 * count that differs would mean bytes of another list, which model/request-bytes.ts rules out.
 */
export function receivedFor(
  attributes: readonly KeyValue[],
  received: ReceivedAttributes | undefined,
): ReceivedAttributes | undefined {
  return received !== undefined && received.count === attributes.length ? received : undefined;
}

/** True when a list carries anything beyond plain strings, i.e. its type map is not empty. */
export function hasTypedAttributes(attributes: readonly KeyValue[]): boolean {
  for (const kv of attributes) if (typeof kv.value !== 'string') return true;
  return false;
}

/**
 * The string attributes of a list whose key a non-string attribute of it also has, marked 1
 * (undefined when there are none, nearly always). OTLP says keys SHOULD be unique, but the
 * Collector and Tempo keep a list that repeats one as sent, and so do we: each repeated key's
 * entries in the type map must then line up one to one with its attributes, in order, so its
 * strings get an entry (`'string'`) too, which the rule "absent is a string" would otherwise leave
 * out (attribute-values.ts reads them back by position). A list whose repeated key has only
 * strings, or only non-strings, needs nothing: its entries line up as they are.
 */
export function stringsSharingTypedKeys(
  attributes: readonly KeyValue[],
  received: ReceivedAttributes | undefined,
): Uint8Array | undefined {
  if (received !== undefined) return receivedStringsSharingTypedKeys(received);
  let marks: Uint8Array | undefined;
  const n = attributes.length;
  // Only a typed attribute's key is looked for: nothing to do in a list of strings.
  for (let i = 0; i < n; i++) {
    const typed = attributes[i];
    if (typeof typed.value === 'string') continue;
    for (let j = 0; j < n; j++) {
      const other = attributes[j];
      if (typeof other.value !== 'string' || other.key !== typed.key) continue;
      marks ??= new Uint8Array(n);
      marks[j] = 1;
    }
  }
  return marks;
}

/** The same, keys compared in the request's bytes, sparing the model's objects (see the top). */
function receivedStringsSharingTypedKeys(received: ReceivedAttributes): Uint8Array | undefined {
  let marks: Uint8Array | undefined;
  const { bytes, members, count: n } = received;
  const { starts, ends } = received.keys;
  for (let i = 0; i < n; i++) {
    if (members[i] === AV_STRING) continue;
    const start = starts[i];
    const length = ends[i] - start;
    for (let j = 0; j < n; j++) {
      if (members[j] !== AV_STRING || ends[j] - starts[j] !== length) continue;
      const other = starts[j];
      let k = 0;
      while (k < length && bytes[start + k] === bytes[other + k]) k++;
      if (k < length) continue;
      marks ??= new Uint8Array(n);
      marks[j] = 1;
    }
  }
  return marks;
}

function writeReceivedKey(keys: RowBinaryWriter, received: ReceivedAttributes, i: number): void {
  keys.stringBytes(received.bytes, received.keys.starts[i], received.keys.ends[i]);
}

const TRUE = encoded('true');
const FALSE = encoded('false');

/** The type code of a received value by its AnyValue member's tag; -1: ask the model. */
const MEMBER_TYPE_CODES = new Int8Array(256).fill(-1);
MEMBER_TYPE_CODES[NO_MEMBER] = ATTRIBUTE_TYPE_CODES.empty;
MEMBER_TYPE_CODES[AV_BOOL] = ATTRIBUTE_TYPE_CODES.bool;
MEMBER_TYPE_CODES[AV_INT] = ATTRIBUTE_TYPE_CODES.int;
MEMBER_TYPE_CODES[AV_DOUBLE] = ATTRIBUTE_TYPE_CODES.double;
MEMBER_TYPE_CODES[AV_BYTES] = ATTRIBUTE_TYPE_CODES.bytes;
MEMBER_TYPE_CODES[AV_ARRAY] = ATTRIBUTE_TYPE_CODES.array;
MEMBER_TYPE_CODES[AV_KVLIST] = ATTRIBUTE_TYPE_CODES.kvlist;

function encoded(value: string): Buffer {
  const w = new RowBinaryWriter(16);
  w.string(value);
  return w.take();
}

/** attributeString's bytes; an int, the common non-string, as digits without making its string. */
function writeValueString(values: RowBinaryWriter, value: AnyValue): void {
  if (typeof value === 'string') values.string(value);
  else if (typeof value === 'bigint' && value >= MIN_SAFE && value <= MAX_SAFE) values.decimal(Number(value));
  else values.string(attributeString(value));
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

function isStructured(value: AnyValue): boolean {
  return typeof value === 'object' && value !== null && needsAnyValueEncoding(anyValueKind(value));
}
