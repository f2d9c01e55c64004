import type { AnyValue, KeyValue } from '../../model/attributes.js';

/** Renders an attribute value for people: strings quoted, ints bare, bytes as hex, nesting kept. */
export function formatAnyValue(value: AnyValue): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'number':
      // Doubles keep a decimal point so they read differently from ints.
      return Number.isInteger(value) ? value.toFixed(1) : String(value);
    default:
      if (value === null) return 'null';
      if (value instanceof Uint8Array) return `0x${Buffer.from(value).toString('hex')}`;
      if (Array.isArray(value)) return `[${value.map(formatAnyValue).join(', ')}]`;
      return `{${formatAttributes(value.kvlistValue)}}`;
  }
}

export function formatAttributes(attributes: readonly KeyValue[]): string {
  return attributes.map((kv) => `${kv.key}=${formatAnyValue(kv.value)}`).join(' ');
}

/** Nanoseconds since the epoch as an RFC 3339 timestamp with all nine fractional digits. */
export function formatTimestamp(nanos: bigint): string {
  const seconds = nanos / 1_000_000_000n;
  const fraction = (nanos % 1_000_000_000n).toString().padStart(9, '0');
  return `${new Date(Number(seconds) * 1000).toISOString().slice(0, 19)}.${fraction}Z`;
}

export function formatDuration(nanos: bigint): string {
  const n = Number(nanos);
  if (n < 1_000) return `${n}ns`;
  if (n < 1_000_000) return `${(n / 1_000).toFixed(1)}µs`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(2)}ms`;
  return `${(n / 1_000_000_000).toFixed(3)}s`;
}
