import { OtlpJsonDecodeError, describeJson } from './decode-error.js';

/**
 * Numbers in the proto3 JSON mapping: every integer type accepts a JSON number or a string holding
 * one, exponent notation included ("1e3"), as long as the value is integral and in range; doubles
 * accept a number, a numeric string, or "NaN", "Infinity", "-Infinity".
 * https://protobuf.dev/programming-guides/json/ (the table of scalar types)
 */

export const UINT32_MAX = 0xffffffff;
export const UINT64_MAX = (1n << 64n) - 1n;
export const INT64_MIN = -(1n << 63n);
export const INT64_MAX = (1n << 63n) - 1n;

const DECIMAL_INTEGER = /^-?(?:0|[1-9][0-9]*)$/;
// RFC 8259 number grammar; protojson parses a quoted number with the same grammar (no spaces, no '+').
const JSON_NUMBER = /^(-?)(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/;
// Any magnitude with more digits than 2^64 is out of every range; this stands in for it.
const TOO_LARGE = 1n << 64n;

/**
 * The exact integer a protojson string holds, or undefined when it is not an integral JSON number.
 * A magnitude beyond 64 bits comes back as ±2^64, so that the caller's range check rejects it
 * without the parser building a huge bigint for "1e1000000".
 */
export function parseIntegerString(text: string): bigint | undefined {
  // The common case, e.g. every timestamp an SDK sends.
  if (DECIMAL_INTEGER.test(text)) return BigInt(text);
  const match = JSON_NUMBER.exec(text);
  if (match === null) return undefined;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const digits = (whole + fraction).replace(/^0+/, '');
  if (digits === '') return 0n;
  const significant = digits.replace(/0+$/, '');
  // Power of ten the significant digits are multiplied by; negative means a fraction is left.
  const scale = Number(exponent) - fraction.length + (digits.length - significant.length);
  if (scale < 0) return undefined;
  const magnitude = significant.length + scale > 20 ? TOO_LARGE : BigInt(significant) * 10n ** BigInt(scale);
  return sign === '-' ? -magnitude : magnitude;
}

/** Decodes an integer field of any width into a bigint within [min, max]; `key` names the field in errors. */
export function decodeInteger(value: unknown, key: string, min: bigint, max: bigint): bigint {
  let n: bigint | undefined;
  if (typeof value === 'number') n = Number.isInteger(value) ? BigInt(value) : undefined;
  else if (typeof value === 'string') n = parseIntegerString(value);
  if (n === undefined) throw new OtlpJsonDecodeError(key, `expected an integer, got ${describeJson(value)}`);
  if (n < min || n > max) {
    throw new OtlpJsonDecodeError(
      key,
      `expected an integer from ${min} to ${max}, got ${describeJson(value)}`,
    );
  }
  return n;
}

/** uint32 and fixed32 (dropped counts, flags), as a number. */
export function decodeUint32(value: unknown, key: string): number {
  // Fast path for what every encoder sends: a plain JSON number.
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= UINT32_MAX) return value;
  return Number(decodeInteger(value, key, 0n, BigInt(UINT32_MAX)));
}

export function decodeUint64(value: unknown, key: string): bigint {
  return decodeInteger(value, key, 0n, UINT64_MAX);
}

export function decodeInt64(value: unknown, key: string): bigint {
  return decodeInteger(value, key, INT64_MIN, INT64_MAX);
}

export function decodeDouble(value: unknown, key: string): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    if (value === 'NaN') return NaN;
    if (value === 'Infinity') return Infinity;
    if (value === '-Infinity') return -Infinity;
    // A quoted number is accepted too; one too large for a double is an error, as in protojson.
    if (JSON_NUMBER.test(value)) {
      const n = Number(value);
      if (Number.isFinite(n)) return n;
    }
  }
  throw new OtlpJsonDecodeError(
    key,
    `expected a number or "NaN", "Infinity", "-Infinity", got ${describeJson(value)}`,
  );
}

/** The JSON form of a double: a number, or one of the three strings JSON numbers cannot spell. */
export function encodeDouble(value: number): number | string {
  if (Number.isFinite(value)) return value;
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? 'Infinity' : '-Infinity';
}
