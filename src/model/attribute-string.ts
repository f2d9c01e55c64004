import type { AnyValue } from './attributes.js';

/*
 * pdata's `Value.AsString()` in one place: what the Collector's ClickHouse exporter stores in its
 * string maps (so what Tracehouse stores too), and what the Collector's processors match
 * patterns against and hash.
 */

/**
 * The string the OpenTelemetry Collector's ClickHouse exporter writes for a value (pdata
 * `Value.AsString()`): decimal ints, shortest round-trip doubles, `true`/`false`, base64 bytes,
 * plain JSON for arrays and kvlists, '' for an empty value.
 */
export function attributeString(value: AnyValue): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'number':
      return String(value);
    default:
      if (value === null) return '';
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      return JSON.stringify(plainJson(value));
  }
}

/** The collector's plain JSON for structured values: arrays as arrays, kvlists as objects. */
function plainJson(value: AnyValue): unknown {
  switch (typeof value) {
    case 'bigint':
      // JSON has no int64; a number is what the collector writes, exact up to 2^53.
      return Number(value);
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    default:
      if (value === null) return null;
      if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
      if (Array.isArray(value)) return value.map(plainJson);
      if (typeof value === 'object') {
        const out: Record<string, unknown> = {};
        for (const kv of value.kvlistValue) out[kv.key] = plainJson(kv.value);
        return out;
      }
      return value;
  }
}
