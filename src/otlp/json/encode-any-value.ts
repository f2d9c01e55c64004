import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { encodeBase64 } from './base64.js';
import { encodeDouble } from './json-numbers.js';
import type { AnyValueJson, KeyValueJson } from './otlp-json-types.js';

/**
 * An AnyValue in proto3 JSON. Unlike plain fields, a oneof member is written even when it holds its
 * type's default (`{"intValue":"0"}`, `{"stringValue":""}`): being set is what tells the types apart.
 * No value (null) is the empty message `{}`.
 */
export function encodeAnyValue(value: AnyValue): AnyValueJson {
  switch (typeof value) {
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
    case 'bigint':
      return { intValue: value.toString() };
    case 'number':
      return { doubleValue: encodeDouble(value) };
    default:
      if (value === null) return {};
      if (value instanceof Uint8Array) return { bytesValue: encodeBase64(value) };
      if (Array.isArray(value)) return { arrayValue: encodeArrayValue(value) };
      return {
        kvlistValue: value.kvlistValue.length === 0 ? {} : { values: encodeKeyValues(value.kvlistValue) },
      };
  }
}

function encodeArrayValue(values: readonly AnyValue[]): { values?: AnyValueJson[] } {
  if (values.length === 0) return {};
  const out = new Array<AnyValueJson>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = encodeAnyValue(values[i]);
  return { values: out };
}

export function encodeKeyValues(attributes: readonly KeyValue[]): KeyValueJson[] {
  const out = new Array<KeyValueJson>(attributes.length);
  for (let i = 0; i < attributes.length; i++) {
    const { key, value } = attributes[i];
    // An empty key is the string default and so left out, as protojson does; the value always has
    // a presence of its own.
    out[i] = key === '' ? { value: encodeAnyValue(value) } : { key, value: encodeAnyValue(value) };
  }
  return out;
}
