import { canonicalIpAddress } from './ip-address.js';
import { describeJsonValue, ZipkinDecodeError } from './zipkin-decode-error.js';
import type { ZipkinAnnotation, ZipkinEndpoint, ZipkinSpan } from './zipkin-span.js';

/**
 * Checks a parsed Zipkin v2 JSON body against zipkin-api's `ListOfSpans` and returns it as typed
 * spans, or throws `ZipkinDecodeError` naming the first bad field.
 *
 * What is rejected follows what makes the OpenTelemetry Collector's receiver (zipkin-go's
 * `SpanModel` JSON decoding) fail: a wrong JSON type anywhere, ids that are not hex, an all-zero
 * span id, an annotation without a timestamp, an IP that is not an address, a port outside uint16.
 * Stricter than zipkin-go: ids must have the lengths the API defines (zipkin-go pads short ones),
 * and annotations need a string value. Looser: timestamps and durations may have fractions, which
 * real senders emit (see `microsToNanos`). As in Go, `null` means absent and unknown fields are
 * ignored; an unknown `kind` is kept for the decoder to treat as unspecified, as the Collector does.
 *
 * Normalises on the way: hex ids lowercased, `parentId: ""` dropped, IP text canonical.
 */
export function checkZipkinSpans(body: unknown): ZipkinSpan[] {
  if (!Array.isArray(body)) failGot('body', '', 'expected an array of spans', body);
  const spans = new Array<ZipkinSpan>(body.length);
  for (let i = 0; i < body.length; i++) spans[i] = checkSpan(body[i], `span[${i}]`);
  return spans;
}

type JsonObject = Record<string, unknown>;

const TRACE_ID = /^(?:[0-9a-fA-F]{16}|[0-9a-fA-F]{32})$/;
const SPAN_ID = /^[0-9a-fA-F]{16}$/;
const ZERO_ID = /^0+$/;

function checkSpan(value: unknown, at: string): ZipkinSpan {
  const json = object(value);
  if (json === undefined) failGot(at, '', 'expected an object', value);

  if (json.traceId === undefined) fail(at, 'traceId', 'required field is missing');
  if (json.id === undefined) fail(at, 'id', 'required field is missing');
  const span: ZipkinSpan = {
    traceId: hexId(json.traceId, at, 'traceId', TRACE_ID, '16 or 32'),
    id: hexId(json.id, at, 'id', SPAN_ID, '16'),
  };
  // zipkin-go rejects a zero span id ("valid span id required"); a zero trace id passes and is
  // left to `removeInvalidSpans`, as in the Collector.
  if (ZERO_ID.test(span.id)) failGot(at, 'id', 'expected a non-zero span id', span.id);
  // zipkin-go reads `"parentId": ""` as no parent.
  if (json.parentId !== undefined && json.parentId !== null && json.parentId !== '') {
    span.parentId = hexId(json.parentId, at, 'parentId', SPAN_ID, '16');
  }
  const name = string(json.name, at, 'name');
  if (name !== undefined) span.name = name;
  const kind = string(json.kind, at, 'kind');
  if (kind !== undefined) span.kind = kind;
  const timestamp = micros(json.timestamp, at, 'timestamp', 'expected epoch microseconds (a number ≥ 0)');
  if (timestamp !== undefined) span.timestamp = timestamp;
  const duration = micros(json.duration, at, 'duration', 'expected microseconds (a number ≥ 0)');
  if (duration !== undefined) span.duration = duration;
  const debug = boolean(json.debug, at, 'debug');
  if (debug !== undefined) span.debug = debug;
  const shared = boolean(json.shared, at, 'shared');
  if (shared !== undefined) span.shared = shared;
  const localEndpoint = endpoint(json.localEndpoint, at, 'localEndpoint');
  if (localEndpoint !== undefined) span.localEndpoint = localEndpoint;
  const remoteEndpoint = endpoint(json.remoteEndpoint, at, 'remoteEndpoint');
  if (remoteEndpoint !== undefined) span.remoteEndpoint = remoteEndpoint;
  const annotations = annotationList(json.annotations, at);
  if (annotations !== undefined) span.annotations = annotations;
  const tags = tagMap(json.tags, at);
  if (tags !== undefined) span.tags = tags;
  return span;
}

/*
 * The helpers below take the path of the enclosing object (`at`) and the field name apart, and
 * join them only to report an error: building a path string for every field of every span would
 * cost more than the checks.
 */

function endpoint(value: unknown, parent: string, field: string): ZipkinEndpoint | undefined {
  if (value === undefined || value === null) return undefined;
  const json = object(value);
  if (json === undefined) failGot(parent, field, 'expected an object', value);
  const at = `${parent}.${field}`;
  const result: ZipkinEndpoint = {};
  const serviceName = string(json.serviceName, at, 'serviceName');
  if (serviceName !== undefined) result.serviceName = serviceName;
  const ipv4 = ipAddress(json.ipv4, at, 'ipv4');
  if (ipv4 !== undefined) result.ipv4 = ipv4;
  const ipv6 = ipAddress(json.ipv6, at, 'ipv6');
  if (ipv6 !== undefined) result.ipv6 = ipv6;
  const port = json.port;
  if (port !== undefined && port !== null) {
    if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65535) {
      failGot(at, 'port', 'expected an integer from 0 to 65535', port);
    }
    result.port = port;
  }
  return result;
}

/** Like Go's `net.IP` text decoding: an empty string is no address. */
function ipAddress(value: unknown, at: string, field: string): string | undefined {
  const text = string(value, at, field);
  if (text === undefined || text === '') return undefined;
  const canonical = canonicalIpAddress(text);
  if (canonical === undefined) failGot(at, field, 'expected an IP address', text);
  return canonical;
}

function annotationList(value: unknown, at: string): ZipkinAnnotation[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value)) failGot(at, 'annotations', 'expected an array', value);
  const result = new Array<ZipkinAnnotation>(value.length);
  for (let i = 0; i < value.length; i++) {
    const json = object(value[i]);
    if (json === undefined) failGot(at, `annotations[${i}]`, 'expected an object', value[i]);
    // zipkin-go: "valid annotation timestamp required" for a missing or zero timestamp.
    const timestamp = json.timestamp;
    if (timestamp === undefined) fail(at, `annotations[${i}].timestamp`, 'required field is missing');
    if (typeof timestamp !== 'number' || !Number.isFinite(timestamp) || timestamp <= 0) {
      failGot(at, `annotations[${i}].timestamp`, 'expected epoch microseconds (a number > 0)', timestamp);
    }
    const text = json.value;
    if (text === undefined) fail(at, `annotations[${i}].value`, 'required field is missing');
    if (typeof text !== 'string') failGot(at, `annotations[${i}].value`, 'expected a string', text);
    result[i] = { timestamp, value: text };
  }
  return result;
}

function tagMap(value: unknown, at: string): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const json = object(value);
  if (json === undefined) failGot(at, 'tags', 'expected an object', value);
  for (const key of Object.keys(json)) {
    // Zipkin tags are string to string; zipkin-go decodes them into map[string]string.
    if (typeof json[key] !== 'string')
      failGot(at, `tags[${JSON.stringify(key)}]`, 'expected a string', json[key]);
  }
  return json as Record<string, string>;
}

/** Lowercased `value` if it is a string matching `pattern`; else a ZipkinDecodeError. */
function hexId(value: unknown, at: string, field: string, pattern: RegExp, lengths: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    failGot(at, field, `expected ${lengths} hex characters`, value);
  }
  return value.toLowerCase();
}

function object(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

function string(value: unknown, at: string, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') failGot(at, field, 'expected a string', value);
  return value;
}

function boolean(value: unknown, at: string, field: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') failGot(at, field, 'expected a boolean', value);
  return value;
}

function micros(value: unknown, at: string, field: string, expected: string): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) failGot(at, field, expected, value);
  return value;
}

/** The path of `field` inside `at`; `field` is '' for the value at `at` itself. */
function join(at: string, field: string): string {
  return field === '' ? at : `${at}.${field}`;
}

function fail(at: string, field: string, problem: string): never {
  throw new ZipkinDecodeError(join(at, field), problem);
}

function failGot(at: string, field: string, expected: string, got: unknown): never {
  throw new ZipkinDecodeError(join(at, field), `${expected}, got ${describeJsonValue(got)}`);
}
