import type { SpanKindName } from '../../query/span-kinds.js';
import { SPAN_KIND_NAMES } from '../../query/span-kinds.js';
import { MAX_INT64, goDurationParam } from '../go-duration.js';
import type { RawQueryString } from '../query-string.js';
import { checkEncoding, singleParam } from '../query-string.js';
import { JaegerParamError } from './jaeger-errors.js';

/** The raw query string (a repeated key is an array), under the name the Jaeger modules use. */
export type QueryString = RawQueryString;

/**
 * A one-value parameter, '' read as absent as Go's `url.Values.Get` reads it. Where Jaeger's
 * handlers would take the first of several values, a repeated one is refused (RepeatedParameterError,
 * answered as a parse error of that parameter).
 */
export function singleValue(query: QueryString, name: string): string | undefined {
  const value = singleParam(query, name);
  return value === '' ? undefined : value;
}

/**
 * Every non-empty value of a parameter Jaeger reads as a list (`r.Form[…]`): `traceID`, `tag` and
 * `tags` of a trace search, `service` and `spanKind` of the metrics endpoints.
 */
export function allValues(query: QueryString, name: string): string[] {
  checkEncoding(query, name);
  const value = query[name];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== '');
}

const INT64_MAX = 2n ** 63n - 1n;

/** `strconv.ParseInt(s, 10, 64)`: an optional sign and decimal digits, within int64. */
export function integerParam(query: QueryString, name: string, unit: string): bigint | undefined {
  const text = singleValue(query, name);
  if (text === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(text)) throw new JaegerParamError(name, `"${text}" is not an integer (${unit})`);
  const value = BigInt(text);
  if (value > INT64_MAX || value < -INT64_MAX - 1n)
    throw new JaegerParamError(name, `${text} is out of range (${unit})`);
  return value;
}

/**
 * A Go duration (`1.2s`, `100ms`, `1h30m`) as nanoseconds, as Jaeger reads one with
 * `time.ParseDuration`: negative ones are refused, and so are ones past 2^63 − 1 ns, which Go
 * refuses as overflowing rather than wrap.
 */
export function goDurationNanos(text: string, name: string): bigint {
  return goDurationParam(text, (detail) => new JaegerParamError(name, detail));
}

const DAY_NANOS = 86_400n * 1_000_000_000n;

/**
 * Jaeger UI's `lookback` (`5m`, `1h`, `2d`, `2w`, `custom`): Go durations plus the UI's day and
 * week units; `custom` (explicit start and end) is undefined.
 */
export function lookbackNanos(text: string, name: string): bigint | undefined {
  if (text === 'custom') return undefined;
  const match = /^(\d+)([dw])$/.exec(text);
  if (!match) return goDurationNanos(text, name);
  // Checked on length first so a hostile numeral never reaches BigInt's quadratic parse.
  const nanos =
    match[1].length > 20 ? MAX_INT64 + 1n : BigInt(match[1]) * DAY_NANOS * (match[2] === 'w' ? 7n : 1n);
  if (nanos > MAX_INT64) throw new JaegerParamError(name, `"${text}" is out of range: at most 106751d`);
  return nanos;
}

/** Go's `strconv.ParseBool`. */
export function boolParam(query: QueryString, name: string): boolean | undefined {
  const text = singleValue(query, name);
  if (text === undefined) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw new JaegerParamError(name, `"${text}" is not a boolean (true or false)`);
}

/**
 * A span kind as Jaeger names it (`server`; jptrace StringToSpanKind lowercases it) or in the
 * OpenTelemetry enum spelling older Jaeger UIs send (`SPAN_KIND_SERVER`).
 */
export function spanKindParam(text: string, name: string): SpanKindName {
  const lower = text.toLowerCase().replace(/^span_kind_/, '');
  if ((SPAN_KIND_NAMES as readonly string[]).includes(lower)) return lower as SpanKindName;
  throw new JaegerParamError(
    name,
    `unsupported span kind '${text}' (expected ${SPAN_KIND_NAMES.join(', ')})`,
  );
}

/**
 * `tags` (JSON objects of string values, as Jaeger UI and Grafana send them; v3's
 * `query.attributes`) and `tag` (`key:value`, split at the first colon) as pairs; a later key
 * replaces an earlier one, as Jaeger folds them into one map (query_parser.go parseTags).
 */
export function parseTags(jsonTags: readonly string[], name: string, simpleTags: readonly string[] = []) {
  const tags = new Map<string, string>();
  for (const tag of simpleTags) {
    const colon = tag.indexOf(':');
    if (colon < 0) throw new JaegerParamError('tag', `expecting key:value, received: ${tag}`);
    tags.set(tag.slice(0, colon), tag.slice(colon + 1));
  }
  for (const text of jsonTags) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new JaegerParamError(name, `cannot unmarshal JSON: ${(error as Error).message}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new JaegerParamError(name, 'expected a JSON object such as {"error":"true"}');
    for (const [key, value] of Object.entries(parsed)) {
      // Jaeger unmarshals into map[string]string: a number or boolean value is refused.
      if (typeof value !== 'string')
        throw new JaegerParamError(name, `the value of "${key}" must be a JSON string`);
      tags.set(key, value);
    }
  }
  return [...tags];
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+\- ])(\d{2}):(\d{2}))$/;

/**
 * Go's `time.Parse(time.RFC3339Nano, …)` as nanoseconds since the epoch. A space where the offset's
 * `+` belongs is read as `+`: Grafana puts these times in the URL unencoded, and a query string
 * reads a bare `+` as a space.
 */
export function rfc3339Nanos(text: string, name: string): bigint {
  const m = RFC3339.exec(text);
  const fail = () =>
    new JaegerParamError(name, `"${text}" is not an RFC 3339 time such as 2024-05-01T12:00:00Z`);
  if (!m) throw fail();
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  // setUTCFullYear, unlike Date.UTC, does not read years 0–99 as 1900–1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  if (month < 1 || month > 12 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59)
    throw fail();
  let seconds = BigInt(date.getTime() / 1000);
  if (m[9] !== undefined) {
    const [offsetHours, offsetMinutes] = [Number(m[10]), Number(m[11])];
    // RFC 3339 §5.6 time-numoffset: hour 00–23, minute 00–59, as Go's parseRFC3339 checks (Jaeger's
    // time.Parse then falls back to a laxer layout that also takes +24:00 and :60; we do not).
    // Added as is, +99:99 would silently move the time by four days.
    if (offsetHours > 23 || offsetMinutes > 59)
      throw new JaegerParamError(
        name,
        `"${text}" has an out-of-range offset ${m[9] === '-' ? '-' : '+'}${m[10]}:${m[11]} (hours 00–23, minutes 00–59)`,
      );
    const offset = BigInt(offsetHours * 3600 + offsetMinutes * 60);
    seconds += m[9] === '-' ? offset : -offset;
  }
  const fraction = BigInt((m[7] ?? '').padEnd(9, '0'));
  return seconds * 1_000_000_000n + fraction;
}

const TRACE_ID_HEX = /^[0-9a-fA-F]{1,32}$/;

/**
 * A trace id as Jaeger's `TraceIDFromString` takes it — 1 to 32 hex digits, left-padded to 128
 * bits — or, as Jaeger 2 also accepts, the 16 bytes in base64 (standard or URL-safe, padded or
 * not). Lowercase hex, as stored.
 */
export function parseTraceId(text: string, name: string): string {
  if (TRACE_ID_HEX.test(text)) return text.toLowerCase().padStart(32, '0');
  if (text.length <= 24 && /^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
    const bytes = Buffer.from(text.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (bytes.length === 16) return bytes.toString('hex');
  }
  throw new JaegerParamError(name, `"${text}" is not a trace id (up to 32 hex digits)`);
}
