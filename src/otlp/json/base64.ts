import { OtlpJsonDecodeError, describeJson } from './decode-error.js';

// protojson reads the standard alphabet, or the URL-safe one when the text has '-' or '_' (never a
// mix), with or without '=' padding; Buffer.from(…, 'base64') would silently skip anything else.
const STANDARD = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_SAFE = /^[A-Za-z0-9_-]*={0,2}$/;

function isBase64(text: string): boolean {
  if (!STANDARD.test(text) && !URL_SAFE.test(text)) return false;
  // Padded text comes in whole 4-character groups; unpadded text can end in 2 or 3 characters, never 1.
  return text.endsWith('=') ? text.length % 4 === 0 : text.length % 4 !== 1;
}

/** A protojson `bytes` value; `key` names the field in errors. */
export function decodeBase64(value: unknown, key: string): Uint8Array {
  if (typeof value !== 'string' || !isBase64(value)) {
    throw new OtlpJsonDecodeError(key, `expected a base64 string, got ${describeJson(value)}`);
  }
  // Copied out of Buffer's shared pool, so the value neither pins the pool nor is a Buffer.
  return new Uint8Array(Buffer.from(value, 'base64'));
}

/** Standard alphabet with padding: what protojson writes. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}
