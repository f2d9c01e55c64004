import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { attributeString } from '../../model/attribute-string.js';
import { decodeBase64 } from '../../otlp/json/base64.js';
import { readAttributes } from '../../otlp/json/decode-any-value.js';

/** A type map or exact-value map as ClickHouse's JSON output gives it: an object. */
export type StoredMap = Record<string, string>;

/**
 * A list's type map and exact-value map as their entries in stored order — type keys, types,
 * exact-value keys, exact values — for a list whose type map repeats a key; `[]` for any other.
 * As an object (StoredMap) such a map keeps one entry of the key, the last, as JSON.parse does.
 */
export type StoredEntries =
  | readonly [
      typeKeys: readonly string[],
      types: readonly string[],
      anyValueKeys: readonly string[],
      anyValues: readonly string[],
    ]
  | readonly [];

export const NO_ENTRIES: StoredEntries = [];

/**
 * Rebuilds an attribute list from the three stored maps (schema/attribute-types.ts): the keys and
 * strings in stored order, each value turned back into its type, structured values taken whole
 * from their exact OTLP/JSON form. A list that repeats a key reads back exactly given its
 * `entries`; without them (rows of trace-spans layouts 1 and 2), or from rows an earlier version
 * wrote (see attributesFromEntries), each of the key's attributes takes the one type the object
 * holds when its text is a value of that type, and otherwise stays the string it was stored as.
 * No stored text fails the read.
 */
export function attributesFromColumns(
  keys: readonly string[],
  strings: readonly string[],
  types: StoredMap,
  anyValues: StoredMap,
  entries: StoredEntries = NO_ENTRIES,
): KeyValue[] {
  if (entries.length !== 0) return attributesFromEntries(keys, strings, types, anyValues, entries);
  const out: KeyValue[] = new Array<KeyValue>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const text = strings[i];
    const value = valueOfType(text, types[key], anyValues[key]);
    out[i] = { key, value: value === undefined ? text : value };
  }
  return out;
}

/** A key's entries of one map in stored order, and how many of them are read. */
interface Queue {
  readonly items: string[];
  next: number;
}

/**
 * A repeated key's types go to its attributes in order, and its exact values to those of them
 * typed array or kvlist: this version writes a type for each attribute of a key repeated with a
 * non-string (attribute-columns.ts, stringsSharingTypedKeys). Earlier versions left its strings
 * out, so a key with fewer types than attributes reads as without entries.
 */
function attributesFromEntries(
  keys: readonly string[],
  strings: readonly string[],
  types: StoredMap,
  anyValues: StoredMap,
  [typeKeys, typeNames, anyValueKeys, exactValues]: Exclude<StoredEntries, readonly []>,
): KeyValue[] {
  const typeQueues = queuesOf(typeKeys, typeNames);
  const exactQueues = queuesOf(anyValueKeys, exactValues);
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  const out: KeyValue[] = new Array<KeyValue>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const text = strings[i];
    const typeQueue = typeQueues.get(key);
    let type = types[key];
    let exact = anyValues[key];
    if (typeQueue !== undefined && typeQueue.items.length === counts.get(key)) {
      type = typeQueue.items[typeQueue.next++];
      const exactQueue = type === 'array' || type === 'kvlist' ? exactQueues.get(key) : undefined;
      if (exactQueue !== undefined) exact = exactQueue.items[exactQueue.next++];
    }
    const value = valueOfType(text, type, exact);
    out[i] = { key, value: value === undefined ? text : value };
  }
  return out;
}

function queuesOf(keys: readonly string[], items: readonly string[]): Map<string, Queue> {
  const queues = new Map<string, Queue>();
  for (let i = 0; i < keys.length; i++) {
    const queue = queues.get(keys[i]);
    if (queue === undefined) queues.set(keys[i], { items: [items[i]], next: 0 });
    else queue.items.push(items[i]);
  }
  return queues;
}

/** Decimal digits as attribute-string.ts writes an int: BigInt alone would also take '', ' 1' and '0x1'. */
const INT_TEXT = /^-?\d+$/;

/**
 * The value of stored `text` under `type` (`exact`: its OTLP/JSON, for an array or kvlist), or
 * undefined when the text is not one that type's value is stored as (the attribute then reads as
 * its string). A type this version does not know keeps the collector's string.
 */
function valueOfType(
  text: string,
  type: string | undefined,
  exact: string | undefined,
): AnyValue | undefined {
  switch (type) {
    case undefined:
    case 'string':
      return text;
    case 'bool':
      return text === 'true' ? true : text === 'false' ? false : undefined;
    case 'int':
      return INT_TEXT.test(text) ? BigInt(text) : undefined;
    case 'double': {
      const n = Number(text);
      return text === '' || (Number.isNaN(n) && text !== 'NaN') ? undefined : n;
    }
    case 'bytes':
      return bytesOf(text);
    case 'empty':
      return text === '' ? null : undefined;
    case 'array':
    case 'kvlist':
      return exact === undefined ? undefined : structuredValue(text, exact);
    default:
      return text;
  }
}

function bytesOf(text: string): Uint8Array | undefined {
  try {
    return decodeBase64(text, 'bytesValue');
  } catch {
    return undefined;
  }
}

/**
 * The value an exact OTLP/JSON form holds, if `text` is its collector string: read by key, the
 * exact form of a repeated key may be another attribute's.
 */
function structuredValue(text: string, exact: string): AnyValue | undefined {
  const value = readAttributes({ attributes: [{ key: '', value: JSON.parse(exact) as unknown }] })[0].value;
  return attributeString(value) === text ? value : undefined;
}
