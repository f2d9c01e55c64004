import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { anyValueKind } from '../../model/attributes.js';
import { attributeString } from '../../model/attribute-string.js';
import { encodeAnyValue } from '../../otlp/json/encode-any-value.js';
import { ATTRIBUTE_TYPE_CODES, needsAnyValueEncoding } from '../schema/attribute-types.js';
import type { RowBinaryWriter } from '../rowbinary/rowbinary-writer.js';

/*
 * One attribute list is stored as three maps (see schema/attribute-types.ts): the collector's
 * string map, the type map (non-strings only) and the exact-value map (arrays and kvlists only).
 * Each map is a LEB128 count then key/value pairs.
 */

export function writeStringMap(w: RowBinaryWriter, attributes: readonly KeyValue[]): void {
  w.varUInt(attributes.length);
  for (const kv of attributes) {
    w.string(kv.key);
    w.string(attributeString(kv.value));
  }
}

export function writeTypeMap(w: RowBinaryWriter, attributes: readonly KeyValue[]): void {
  let typed = 0;
  for (const kv of attributes) if (typeof kv.value !== 'string') typed++;
  w.varUInt(typed);
  if (typed === 0) return;
  for (const kv of attributes) {
    if (typeof kv.value === 'string') continue;
    w.string(kv.key);
    w.int8(ATTRIBUTE_TYPE_CODES[anyValueKind(kv.value)]);
  }
}

export function writeAnyValueMap(w: RowBinaryWriter, attributes: readonly KeyValue[]): void {
  let structured = 0;
  for (const kv of attributes) if (isStructured(kv.value)) structured++;
  w.varUInt(structured);
  if (structured === 0) return;
  for (const kv of attributes) {
    if (!isStructured(kv.value)) continue;
    w.string(kv.key);
    w.string(JSON.stringify(encodeAnyValue(kv.value)));
  }
}

/** True when a list carries anything beyond plain strings, i.e. its type map is not empty. */
export function hasTypedAttributes(attributes: readonly KeyValue[]): boolean {
  for (const kv of attributes) if (typeof kv.value !== 'string') return true;
  return false;
}

function isStructured(value: AnyValue): boolean {
  return typeof value === 'object' && value !== null && needsAnyValueEncoding(anyValueKind(value));
}
