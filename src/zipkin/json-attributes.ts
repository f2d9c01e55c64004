import type { AnyValue, KeyValue } from '../model/attributes.js';
import { isKeyValueList } from '../model/attributes.js';

/**
 * Attributes as a JSON object, the form the Collector's zipkin translator embeds in annotation
 * values (event attributes) and `otlp.link.<i>` tags (link attributes).
 */

/**
 * Writes attributes as a JSON object. Ints are written exactly (no float rounding), bytes as
 * base64 (Go's `[]byte` JSON form), non-finite doubles as null since JSON has no literal for them.
 */
export function attributesToJson(attributes: readonly KeyValue[]): string {
  let out = '{';
  for (let i = 0; i < attributes.length; i++) {
    if (i > 0) out += ',';
    out += `${JSON.stringify(attributes[i].key)}:${anyValueToJson(attributes[i].value)}`;
  }
  return `${out}}`;
}

/** One attribute value as JSON, with the rules of `attributesToJson`. */
export function anyValueToJson(value: AnyValue): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    default:
      if (value === null) return 'null';
      if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
      if (Array.isArray(value)) return `[${value.map(anyValueToJson).join(',')}]`;
      if (isKeyValueList(value)) return attributesToJson(value.kvlistValue);
      return 'null';
  }
}

/**
 * Reads a JSON object of attributes, or undefined when `text` is not one (`null` reads as none).
 *
 * Values follow the Collector's `jsonMapToAttributeMap`: strings and booleans as they are,
 * numbers as ints when whole and doubles otherwise (JSON has one number type), nulls dropped.
 * Where the Collector drops arrays and objects, they are kept here (same rules inside), so that
 * what `attributesToJson` wrote comes back.
 */
export function jsonToAttributes(text: string): KeyValue[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null) return [];
  if (typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  return objectToAttributes(parsed as Record<string, unknown>);
}

function objectToAttributes(json: Record<string, unknown>): KeyValue[] {
  const attributes: KeyValue[] = [];
  for (const key of Object.keys(json)) {
    const value = jsonToAnyValue(json[key]);
    if (value !== null) attributes.push({ key, value });
  }
  return attributes;
}

function jsonToAnyValue(json: unknown): AnyValue {
  switch (typeof json) {
    case 'string':
    case 'boolean':
      return json;
    case 'number':
      // Go's int64(d) is only defined inside int64's range; beyond it, keep the double.
      return Number.isInteger(json) && Math.abs(json) < 2 ** 63 ? BigInt(json) : json;
    case 'object':
      if (json === null) return null;
      if (Array.isArray(json)) return json.map(jsonToAnyValue);
      return { kvlistValue: objectToAttributes(json as Record<string, unknown>) };
    default:
      return null;
  }
}
