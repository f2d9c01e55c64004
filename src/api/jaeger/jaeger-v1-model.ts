import type { AnyValue, KeyValue } from '../../model/attributes.js';
import { findAttribute } from '../../model/attributes.js';
import type { Resource, Span, SpanEvent, TracesData } from '../../model/span.js';
import { SpanKind, StatusCode } from '../../model/span.js';
import { encodeBase64 } from '../../otlp/json/base64.js';

/*
 * A trace in Jaeger UI's JSON (jaeger internal/uimodel, converter/v1/json from_domain.go), from
 * our OTLP model by the mapping Jaeger itself uses (opentelemetry-collector-contrib
 * pkg/translator/jaeger traces_to_jaegerproto.go). Times are microseconds since the epoch,
 * truncated, as Jaeger's TimeAsEpochMicroseconds; the trace is returned raw (no adjusters).
 */

export type JaegerValueType = 'string' | 'bool' | 'int64' | 'float64' | 'binary';

export interface JaegerKeyValue {
  key: string;
  type: JaegerValueType;
  value: string | boolean | number;
}

export interface JaegerLog {
  timestamp: number;
  fields: JaegerKeyValue[];
}

export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: JaegerReference[];
  startTime: number;
  duration: number;
  tags: JaegerKeyValue[];
  logs: JaegerLog[];
  processID: string;
  warnings: string[] | null;
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerKeyValue[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: string[] | null;
}

/** The translator's name for a resource without `service.name`. */
export const NO_SERVICE_NAME = 'OTLPResourceNoServiceName';

const SPAN_KIND_TAG: Partial<Record<SpanKind, string>> = {
  [SpanKind.INTERNAL]: 'internal',
  [SpanKind.SERVER]: 'server',
  [SpanKind.CLIENT]: 'client',
  [SpanKind.PRODUCER]: 'producer',
  [SpanKind.CONSUMER]: 'consumer',
};

/** Jaeger's TraceID.String(): 16 hex digits when the high 64 bits are zero, else 32. */
export function jaegerTraceId(hex: string): string {
  return hex.length === 32 && hex.startsWith('0000000000000000') ? hex.slice(16) : hex;
}

const micros = (nanos: bigint): number => Number(nanos / 1000n);

export function jaegerTrace(data: TracesData): JaegerTrace {
  const entries: { span: Span; scopeTags: JaegerKeyValue[]; process: JaegerProcess }[] = [];
  for (const rs of data) {
    const process = jaegerProcess(rs.resource);
    for (const ss of rs.scopeSpans) {
      const scopeTags: JaegerKeyValue[] = [];
      if (ss.scope.name !== '') scopeTags.push(stringTag('otel.scope.name', ss.scope.name));
      if (ss.scope.version !== '') scopeTags.push(stringTag('otel.scope.version', ss.scope.version));
      for (const span of ss.spans) entries.push({ span, scopeTags, process });
    }
  }
  entries.sort((a, b) => {
    const d = a.span.startTimeUnixNano - b.span.startTimeUnixNano;
    return d < 0n
      ? -1
      : d > 0n
        ? 1
        : a.span.spanId < b.span.spanId
          ? -1
          : a.span.spanId > b.span.spanId
            ? 1
            : 0;
  });
  // Identical processes share one id (Jaeger's processHashtable), numbered as first met.
  const processIds = new Map<string, string>();
  const processes: Record<string, JaegerProcess> = {};
  const spans = entries.map(({ span, scopeTags, process }) => {
    const identity = JSON.stringify(process);
    let processID = processIds.get(identity);
    if (processID === undefined) {
      processID = `p${processIds.size + 1}`;
      processIds.set(identity, processID);
      processes[processID] = process;
    }
    return jaegerSpan(span, scopeTags, processID);
  });
  return {
    traceID: spans.length > 0 ? spans[0].traceID : '',
    spans,
    processes,
    warnings: null,
  };
}

function jaegerProcess(resource: Resource): JaegerProcess {
  const service = findAttribute(resource.attributes, 'service.name');
  return {
    serviceName: service === undefined ? NO_SERVICE_NAME : valueAsString(service),
    tags: resource.attributes.filter((kv) => kv.key !== 'service.name').map(jaegerTag),
  };
}

function jaegerSpan(span: Span, scopeTags: JaegerKeyValue[], processID: string): JaegerSpan {
  const traceID = jaegerTraceId(span.traceId);
  const duration = span.endTimeUnixNano - span.startTimeUnixNano;
  return {
    traceID,
    spanID: span.spanId,
    operationName: span.name,
    references: references(span, traceID),
    startTime: micros(span.startTimeUnixNano),
    duration: duration > 0n ? micros(duration) : 0,
    tags: spanTags(span, scopeTags),
    logs: span.events.map(jaegerLog),
    processID,
    warnings: null,
  };
}

/**
 * The parent first (CHILD_OF, as backends look for the first CHILD_OF), then each link:
 * FOLLOWS_FROM unless the link says `opentracing.ref_type=child_of`; a link to the parent only
 * changes the parent reference's type.
 */
function references(span: Span, traceID: string): JaegerReference[] {
  const refs: JaegerReference[] = [];
  if (span.parentSpanId !== '') refs.push({ refType: 'CHILD_OF', traceID, spanID: span.parentSpanId });
  for (const link of span.links) {
    const refType =
      findAttribute(link.attributes, 'opentracing.ref_type') === 'child_of' ? 'CHILD_OF' : 'FOLLOWS_FROM';
    if (span.parentSpanId !== '' && link.traceId === span.traceId && link.spanId === span.parentSpanId) {
      refs[0].refType = refType;
      continue;
    }
    refs.push({ refType, traceID: jaegerTraceId(link.traceId), spanID: link.spanId });
  }
  return refs;
}

/** Scope, attributes, then the tags the translator derives from kind, status and trace state. */
function spanTags(span: Span, scopeTags: JaegerKeyValue[]): JaegerKeyValue[] {
  const tags = [...scopeTags, ...span.attributes.map(jaegerTag)];
  const kind = SPAN_KIND_TAG[span.kind];
  if (kind !== undefined) tags.push(stringTag('span.kind', kind));
  if (span.status.code === StatusCode.ERROR) {
    tags.push(stringTag('otel.status_code', 'ERROR'), { key: 'error', type: 'bool', value: true });
  } else if (span.status.code === StatusCode.OK) {
    tags.push(stringTag('otel.status_code', 'OK'));
  }
  if (span.status.message !== '') tags.push(stringTag('otel.status_description', span.status.message));
  if (span.traceState !== '') tags.push(stringTag('w3c.tracestate', span.traceState));
  return tags;
}

/** An event: its name as the `event` field first (unless an attribute has that key), then its attributes. */
function jaegerLog(event: SpanEvent): JaegerLog {
  const fields = event.attributes.map(jaegerTag);
  if (event.name !== '' && findAttribute(event.attributes, 'event') === undefined)
    fields.unshift(stringTag('event', event.name));
  return { timestamp: micros(event.timeUnixNano), fields };
}

const stringTag = (key: string, value: string): JaegerKeyValue => ({ key, type: 'string', value });

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * OTLP value → Jaeger tag: string, bool, int64, float64 and bytes (binary, base64 in JSON) keep
 * their type; arrays and maps become their JSON text. An int64 beyond 2^53 is written as a string
 * so JavaScript does not round it (from_domain.go does the same).
 */
export function jaegerTag({ key, value }: KeyValue): JaegerKeyValue {
  switch (typeof value) {
    case 'string':
      return { key, type: 'string', value };
    case 'boolean':
      return { key, type: 'bool', value };
    case 'bigint':
      return {
        key,
        type: 'int64',
        value: value > MAX_SAFE || value < -MAX_SAFE ? value.toString() : Number(value),
      };
    case 'number':
      // JSON has no NaN or infinities; their text is kept instead of failing the whole trace.
      return { key, type: 'float64', value: Number.isFinite(value) ? value : String(value) };
    default:
      if (value instanceof Uint8Array) return { key, type: 'binary', value: encodeBase64(value) };
      return { key, type: 'string', value: valueAsString(value) };
  }
}

/** pdata's `Value.AsString()`: scalars as text, arrays and maps as JSON (map keys sorted, as Go). */
export function valueAsString(value: AnyValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return '';
  if (value instanceof Uint8Array) return encodeBase64(value);
  if (typeof value !== 'object') return String(value);
  return rawJson(value);
}

function rawJson(value: AnyValue): string {
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
      if (value instanceof Uint8Array) return JSON.stringify(encodeBase64(value));
      if (Array.isArray(value)) return `[${value.map(rawJson).join(',')}]`;
      return `{${[...value.kvlistValue]
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
        .map((kv) => `${JSON.stringify(kv.key)}:${rawJson(kv.value)}`)
        .join(',')}}`;
  }
}
