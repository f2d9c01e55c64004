/**
 * Attribute values, typed as OTLP's `AnyValue` but carried as plain JavaScript values so that
 * decoding a span does not allocate a wrapper object per attribute:
 *
 * | OTLP AnyValue  | here                      |
 * | -------------- | ------------------------- |
 * | string_value   | `string`                  |
 * | bool_value     | `boolean`                 |
 * | int_value      | `bigint` (exact int64)    |
 * | double_value   | `number`                  |
 * | bytes_value    | `Uint8Array`              |
 * | array_value    | `AnyValue[]`              |
 * | kvlist_value   | `KeyValueList`            |
 * | (no value set) | `null`                    |
 *
 * Ints are bigints and doubles are numbers, so `3` (int) and `3.0` (double) stay distinct.
 */
export type AnyValue = string | boolean | bigint | number | Uint8Array | AnyValue[] | KeyValueList | null;

export interface KeyValueList {
  readonly kvlistValue: KeyValue[];
}

export interface KeyValue {
  key: string;
  value: AnyValue;
}

export type AnyValueKind = 'string' | 'bool' | 'int' | 'double' | 'bytes' | 'array' | 'kvlist' | 'empty';

export function anyValueKind(value: AnyValue): AnyValueKind {
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    case 'bigint':
      return 'int';
    case 'number':
      return 'double';
    default:
      if (value === null) return 'empty';
      if (value instanceof Uint8Array) return 'bytes';
      if (Array.isArray(value)) return 'array';
      return 'kvlist';
  }
}

export function isKeyValueList(value: AnyValue): value is KeyValueList {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
  );
}

/** Finds an attribute by key; the last one wins, as OTLP leaves duplicates undefined and SDKs overwrite. */
export function findAttribute(attributes: readonly KeyValue[], key: string): AnyValue | undefined {
  for (let i = attributes.length - 1; i >= 0; i--) {
    if (attributes[i].key === key) return attributes[i].value;
  }
  return undefined;
}
