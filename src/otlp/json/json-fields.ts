import { OtlpJsonDecodeError, describeJson, rethrowUnder } from './decode-error.js';
import { decodeInt64, decodeUint32, decodeUint64 } from './json-numbers.js';

/**
 * Field access for protojson messages. Each reader takes the field's JSON name (lowerCamelCase) and
 * its original proto name: the OTLP spec asks senders for the former, protojson parsers accept both.
 * An absent field or a JSON null gives the proto3 default; unknown fields are never looked at, so
 * they are ignored (OTLP spec, "JSON Protobuf Encoding").
 */
export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as a message, or an error at the message itself (the caller adds where it sits). */
export function asObject(value: unknown): JsonObject {
  if (isJsonObject(value)) return value;
  throw new OtlpJsonDecodeError('', `expected an object, got ${describeJson(value)}`);
}

/**
 * Which spelling of a field the object uses, or undefined when neither. Both at once is an error, as
 * in protojson: they are the same field given twice.
 */
function keyOf(obj: JsonObject, jsonName: string, protoName: string): string | undefined {
  const hasJson = obj[jsonName] !== undefined;
  if (protoName === jsonName) return hasJson ? jsonName : undefined;
  const hasProto = obj[protoName] !== undefined;
  if (hasJson && hasProto) {
    throw new OtlpJsonDecodeError(jsonName, `given twice, as ${jsonName} and ${protoName}`);
  }
  return hasJson ? jsonName : hasProto ? protoName : undefined;
}

export function readString(obj: JsonObject, jsonName: string, protoName = jsonName): string {
  const key = keyOf(obj, jsonName, protoName);
  if (key === undefined) return '';
  const value = obj[key];
  if (typeof value === 'string') return value;
  if (value === null) return '';
  throw new OtlpJsonDecodeError(key, `expected a string, got ${describeJson(value)}`);
}

export function readUint32(obj: JsonObject, jsonName: string, protoName = jsonName): number {
  const key = keyOf(obj, jsonName, protoName);
  if (key === undefined || obj[key] === null) return 0;
  return decodeUint32(obj[key], key);
}

export function readUint64(obj: JsonObject, jsonName: string, protoName = jsonName): bigint {
  const key = keyOf(obj, jsonName, protoName);
  if (key === undefined || obj[key] === null) return 0n;
  return decodeUint64(obj[key], key);
}

export function readInt64(obj: JsonObject, jsonName: string, protoName = jsonName): bigint {
  const key = keyOf(obj, jsonName, protoName);
  if (key === undefined || obj[key] === null) return 0n;
  return decodeInt64(obj[key], key);
}

const LOWER_HEX_BYTES = /^(?:[0-9a-f]{2})*$/;
const HEX_BYTES = /^(?:[0-9a-f]{2})*$/i;
const HEX_DIGITS = /^[0-9a-f]*$/i;

/**
 * A trace or span id: OTLP/JSON spells these `bytes` fields as case-insensitive hex instead of
 * protojson's base64. Any whole number of bytes is accepted here; lengths are checked later
 * (model/validate-spans.ts) so that one bad span is a partial success, not a failed request.
 */
export function readHexId(obj: JsonObject, jsonName: string, protoName = jsonName): string {
  const key = keyOf(obj, jsonName, protoName);
  if (key === undefined) return '';
  const value = obj[key];
  if (typeof value === 'string') {
    if (LOWER_HEX_BYTES.test(value)) return value;
    if (HEX_BYTES.test(value)) return value.toLowerCase();
    if (HEX_DIGITS.test(value)) {
      throw new OtlpJsonDecodeError(key, `expected an even number of hex digits, got ${describeJson(value)}`);
    }
  } else if (value === null) {
    return '';
  }
  throw new OtlpJsonDecodeError(key, `expected a hex string, got ${describeJson(value)}`);
}

/** A proto enum: the names the spec gives its values. */
export interface EnumType<T extends number> {
  readonly typeName: string;
  readonly byName: ReadonlyMap<string, T>;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/**
 * An enum field. OTLP senders must send the number, but protojson parsers also take the value's
 * name, so both are accepted. Any int32 is kept, known or not, because proto3 enums are open and the
 * protobuf decoder keeps them too: a request must not be accepted in one encoding and refused in the
 * other. An unknown name has no number to keep and is an error.
 */
export function readEnum<T extends number>(
  obj: JsonObject,
  type: EnumType<T>,
  jsonName: string,
  protoName = jsonName,
): T {
  const key = keyOf(obj, jsonName, protoName);
  if (key === undefined) return 0 as T; // proto3 enums default to their 0 value
  const value = obj[key];
  if (value === null) return 0 as T;
  if (typeof value === 'number' && Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) {
    return value as T; // open enum: see above
  }
  if (typeof value === 'string') {
    const known = type.byName.get(value);
    if (known !== undefined) return known;
    throw new OtlpJsonDecodeError(key, `unknown ${type.typeName} name ${describeJson(value)}`);
  }
  throw new OtlpJsonDecodeError(
    key,
    `expected a ${type.typeName} number or name, got ${describeJson(value)}`,
  );
}

/** A sub-message field; `absent` makes the default when it is missing or null. */
export function readMessage<T>(
  obj: JsonObject,
  jsonName: string,
  protoName: string,
  decode: (message: JsonObject) => T,
  absent: () => T,
): T {
  const key = keyOf(obj, jsonName, protoName);
  if (key === undefined || obj[key] === null) return absent();
  try {
    return decode(asObject(obj[key]));
  } catch (error) {
    rethrowUnder(error, key);
  }
}

/**
 * A repeated message field. `depth` is handed to each element's decoder, for the recursive
 * AnyValue; a null element is an error (protojson rejects it: a list element cannot be "absent").
 */
export function readList<T>(
  obj: JsonObject,
  jsonName: string,
  protoName: string,
  decode: (message: JsonObject, depth: number) => T,
  depth = 0,
): T[] {
  const key = keyOf(obj, jsonName, protoName);
  if (key === undefined) return [];
  const value = obj[key];
  if (value === null) return [];
  if (!Array.isArray(value)) {
    throw new OtlpJsonDecodeError(key, `expected an array, got ${describeJson(value)}`);
  }
  const items: readonly unknown[] = value;
  const out = new Array<T>(items.length);
  for (let i = 0; i < items.length; i++) {
    try {
      out[i] = decode(asObject(items[i]), depth);
    } catch (error) {
      rethrowUnder(error, `${key}[${i}]`);
    }
  }
  return out;
}
