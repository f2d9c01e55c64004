import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { anyValueKind } from '../../model/attributes.js';
import { attributeString } from '../../model/attribute-string.js';
import { encodeAnyValue } from '../../otlp/json/encode-any-value.js';
import { ATTRIBUTE_TYPE_CODES, needsAnyValueEncoding } from '../schema/attribute-types.js';
import type { RowBinaryWriter } from '../rowbinary/rowbinary-writer.js';

/*
 * One attribute list is stored as three maps (see schema/attribute-types.ts): the collector's
 * string map, the type map (non-strings only) and the exact-value map (arrays and kvlists only).
 * Each writer appends one map's keys and values to a map column's key and value streams and
 * returns how many entries it wrote (the column's offsets are the caller's).
 */
export type MapEntriesWriter = (
  keys: RowBinaryWriter,
  values: RowBinaryWriter,
  attributes: readonly KeyValue[],
) => number;

export const writeStringMap: MapEntriesWriter = (keys, values, attributes) => {
  for (const kv of attributes) {
    keys.string(kv.key);
    values.string(attributeString(kv.value));
  }
  return attributes.length;
};

export const writeTypeMap: MapEntriesWriter = (keys, values, attributes) => {
  let typed = 0;
  for (const kv of attributes) {
    if (typeof kv.value === 'string') continue;
    keys.string(kv.key);
    values.int8(ATTRIBUTE_TYPE_CODES[anyValueKind(kv.value)]);
    typed++;
  }
  return typed;
};

export const writeAnyValueMap: MapEntriesWriter = (keys, values, attributes) => {
  let structured = 0;
  for (const kv of attributes) {
    if (!isStructured(kv.value)) continue;
    keys.string(kv.key);
    values.string(JSON.stringify(encodeAnyValue(kv.value)));
    structured++;
  }
  return structured;
};

/** True when a list carries anything beyond plain strings, i.e. its type map is not empty. */
export function hasTypedAttributes(attributes: readonly KeyValue[]): boolean {
  for (const kv of attributes) if (typeof kv.value !== 'string') return true;
  return false;
}

function isStructured(value: AnyValue): boolean {
  return typeof value === 'object' && value !== null && needsAnyValueEncoding(anyValueKind(value));
}
