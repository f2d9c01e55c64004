import type { AnyValue } from '../model/attributes.js';
import { anyValueToJson } from './json-attributes.js';

/**
 * An attribute value as a Zipkin tag (tags are strings), as the Collector's exporter writes it with
 * pdata's `Value.AsString()`: booleans `true`/`false`, ints in decimal, doubles as ECMAScript
 * prints numbers (what `float64AsString` imitates), bytes in standard base64, arrays and maps as
 * JSON (the OpenTelemetry spec's Zipkin mapping asks for JSON lists), no value as ''.
 */
export function attributeToTag(value: AnyValue): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
    case 'bigint':
    case 'number':
      return String(value);
    default:
      if (value === null) return '';
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      return anyValueToJson(value);
  }
}
