import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { decodeBase64 } from '../../otlp/json/base64.js';
import { readAttributes } from '../../otlp/json/decode-any-value.js';

/** A type map or exact-value map as ClickHouse's JSON output gives it: an object. */
export type StoredMap = Record<string, string>;

/**
 * Rebuilds an attribute list from the three stored maps (schema/attribute-types.ts): the keys and
 * strings in stored order, each value turned back into its type, structured values taken whole
 * from their exact OTLP/JSON form.
 */
export function attributesFromColumns(
  keys: readonly string[],
  strings: readonly string[],
  types: StoredMap,
  anyValues: StoredMap,
): KeyValue[] {
  const out: KeyValue[] = new Array<KeyValue>(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    out[i] = { key, value: valueFromColumns(strings[i], types[key], anyValues[key]) };
  }
  return out;
}

function valueFromColumns(text: string, type: string | undefined, exact: string | undefined): AnyValue {
  switch (type) {
    case undefined:
    case 'string':
      return text;
    case 'bool':
      return text === 'true';
    case 'int':
      return BigInt(text);
    case 'double':
      return Number(text);
    case 'bytes':
      return decodeBase64(text, 'bytesValue');
    case 'empty':
      return null;
    case 'array':
    case 'kvlist':
      if (exact === undefined) return text;
      return readAttributes({ attributes: [{ key: '', value: JSON.parse(exact) as unknown }] })[0].value;
    default:
      // A type name this version does not know: keep the collector's string rather than fail the read.
      return text;
  }
}
