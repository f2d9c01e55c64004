import type { KeyValue } from '../../model/attributes.js';
import type {
  InstrumentationScope,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanLink,
  Status,
  TracesData,
} from '../../model/span.js';
import { encodeKeyValues } from './encode-any-value.js';
import type {
  EventJson,
  ExportTraceServiceRequestJson,
  InstrumentationScopeJson,
  KeyValueJson,
  LinkJson,
  ResourceJson,
  ResourceSpansJson,
  ScopeSpansJson,
  SpanJson,
  StatusJson,
} from './otlp-json-types.js';

export {
  decodeExportTraceServiceResponseJson,
  encodeExportTraceServiceResponseJson,
} from './export-trace-response-json.js';
export type { ExportTracePartialSuccess } from './export-trace-response-json.js';
export { encodeRpcStatusJson } from './rpc-status-json.js';

/**
 * Encodes the model as an OTLP/JSON `ExportTraceServiceRequest`, ready for JSON.stringify:
 * lowerCamelCase keys, lowercase hex ids, enums as numbers, 64-bit integers as decimal strings,
 * bytes as base64 (opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding").
 *
 * Fields holding their proto3 default ('' , 0, empty list) are left out, as protojson leaves them
 * out. `resource`, `scope` and `status` are always written, possibly as `{}`: they are messages the
 * model always has, and protojson writes any message that is present.
 */
export function encodeExportTraceServiceRequestJson(data: TracesData): ExportTraceServiceRequestJson {
  return data.length === 0 ? {} : { resourceSpans: data.map(encodeResourceSpans) };
}

function encodeResourceSpans(rs: ResourceSpans): ResourceSpansJson {
  const out: ResourceSpansJson = { resource: encodeResource(rs.resource) };
  if (rs.scopeSpans.length > 0) out.scopeSpans = rs.scopeSpans.map(encodeScopeSpans);
  if (rs.schemaUrl !== '') out.schemaUrl = rs.schemaUrl;
  return out;
}

function encodeResource(resource: Resource): ResourceJson {
  const out: ResourceJson = {};
  addAttributes(out, resource.attributes, resource.droppedAttributesCount);
  return out;
}

function encodeScopeSpans(ss: ScopeSpans): ScopeSpansJson {
  const out: ScopeSpansJson = { scope: encodeScope(ss.scope) };
  if (ss.spans.length > 0) out.spans = ss.spans.map(encodeSpan);
  if (ss.schemaUrl !== '') out.schemaUrl = ss.schemaUrl;
  return out;
}

function encodeScope(scope: InstrumentationScope): InstrumentationScopeJson {
  const out: InstrumentationScopeJson = {};
  if (scope.name !== '') out.name = scope.name;
  if (scope.version !== '') out.version = scope.version;
  addAttributes(out, scope.attributes, scope.droppedAttributesCount);
  return out;
}

function encodeSpan(span: Span): SpanJson {
  const out: SpanJson = {};
  if (span.traceId !== '') out.traceId = span.traceId;
  if (span.spanId !== '') out.spanId = span.spanId;
  if (span.traceState !== '') out.traceState = span.traceState;
  if (span.parentSpanId !== '') out.parentSpanId = span.parentSpanId;
  if (span.flags !== 0) out.flags = span.flags;
  if (span.name !== '') out.name = span.name;
  if (span.kind !== 0) out.kind = span.kind;
  if (span.startTimeUnixNano !== 0n) out.startTimeUnixNano = span.startTimeUnixNano.toString();
  if (span.endTimeUnixNano !== 0n) out.endTimeUnixNano = span.endTimeUnixNano.toString();
  addAttributes(out, span.attributes, span.droppedAttributesCount);
  if (span.events.length > 0) out.events = span.events.map(encodeEvent);
  if (span.droppedEventsCount !== 0) out.droppedEventsCount = span.droppedEventsCount;
  if (span.links.length > 0) out.links = span.links.map(encodeLink);
  if (span.droppedLinksCount !== 0) out.droppedLinksCount = span.droppedLinksCount;
  out.status = encodeStatus(span.status);
  return out;
}

function encodeEvent(event: SpanEvent): EventJson {
  const out: EventJson = {};
  if (event.timeUnixNano !== 0n) out.timeUnixNano = event.timeUnixNano.toString();
  if (event.name !== '') out.name = event.name;
  addAttributes(out, event.attributes, event.droppedAttributesCount);
  return out;
}

function encodeLink(link: SpanLink): LinkJson {
  const out: LinkJson = {};
  if (link.traceId !== '') out.traceId = link.traceId;
  if (link.spanId !== '') out.spanId = link.spanId;
  if (link.traceState !== '') out.traceState = link.traceState;
  addAttributes(out, link.attributes, link.droppedAttributesCount);
  if (link.flags !== 0) out.flags = link.flags;
  return out;
}

/** The `attributes` + `dropped_attributes_count` pair that Resource, Scope, Span, Event and Link share. */
function addAttributes(
  out: { attributes?: KeyValueJson[]; droppedAttributesCount?: number },
  attributes: readonly KeyValue[],
  droppedAttributesCount: number,
): void {
  if (attributes.length > 0) out.attributes = encodeKeyValues(attributes);
  if (droppedAttributesCount !== 0) out.droppedAttributesCount = droppedAttributesCount;
}

function encodeStatus(status: Status): StatusJson {
  const out: StatusJson = {};
  if (status.message !== '') out.message = status.message;
  if (status.code !== 0) out.code = status.code;
  return out;
}
