import { emptyResource, emptyScope, unsetStatus } from '../../model/factories.js';
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
import { SpanKind, StatusCode } from '../../model/span.js';
import { ALL_ZERO_SPAN_ID } from '../../model/ids.js';
import { readAttributes } from './decode-any-value.js';
import type { EnumType, JsonObject } from './json-fields.js';
import {
  asObject,
  readEnum,
  readHexId,
  readList,
  readMessage,
  readString,
  readUint32,
  readUint64,
} from './json-fields.js';

export { OtlpJsonDecodeError } from './decode-error.js';

/**
 * Decodes an OTLP/JSON `ExportTraceServiceRequest` (the body of `POST /v1/traces` with
 * `Content-Type: application/json`, already JSON.parse'd) into the trace model.
 *
 * Follows opentelemetry-proto docs/specification.md, "JSON Protobuf Encoding": proto3's JSON
 * mapping, except that ids are hex. Readers are lenient where protojson parsers are (snake_case
 * names, enum names, integers as numbers or strings) and strict about types, so that a malformed
 * body fails with an `OtlpJsonDecodeError` naming the field rather than being stored half-wrong.
 * Id lengths are not checked here; see model/validate-spans.ts.
 *
 * @throws OtlpJsonDecodeError
 */
export function decodeExportTraceServiceRequestJson(body: unknown): TracesData {
  return readList(asObject(body), 'resourceSpans', 'resource_spans', decodeResourceSpans);
}

const SPAN_KIND: EnumType<SpanKind> = {
  typeName: 'SpanKind',
  byName: new Map([
    ['SPAN_KIND_UNSPECIFIED', SpanKind.UNSPECIFIED],
    ['SPAN_KIND_INTERNAL', SpanKind.INTERNAL],
    ['SPAN_KIND_SERVER', SpanKind.SERVER],
    ['SPAN_KIND_CLIENT', SpanKind.CLIENT],
    ['SPAN_KIND_PRODUCER', SpanKind.PRODUCER],
    ['SPAN_KIND_CONSUMER', SpanKind.CONSUMER],
  ]),
};

const STATUS_CODE: EnumType<StatusCode> = {
  typeName: 'StatusCode',
  byName: new Map([
    ['STATUS_CODE_UNSET', StatusCode.UNSET],
    ['STATUS_CODE_OK', StatusCode.OK],
    ['STATUS_CODE_ERROR', StatusCode.ERROR],
  ]),
};

// Resource.entity_refs has no place in the model yet and is skipped like an unknown field.
function decodeResourceSpans(obj: JsonObject): ResourceSpans {
  return {
    resource: readMessage(obj, 'resource', 'resource', decodeResource, emptyResource),
    scopeSpans: readList(obj, 'scopeSpans', 'scope_spans', decodeScopeSpans),
    schemaUrl: readString(obj, 'schemaUrl', 'schema_url'),
  };
}

function decodeResource(obj: JsonObject): Resource {
  return {
    attributes: readAttributes(obj),
    droppedAttributesCount: readUint32(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
  };
}

function decodeScopeSpans(obj: JsonObject): ScopeSpans {
  return {
    scope: readMessage(obj, 'scope', 'scope', decodeScope, emptyScope),
    spans: readList(obj, 'spans', 'spans', decodeSpan),
    schemaUrl: readString(obj, 'schemaUrl', 'schema_url'),
  };
}

function decodeScope(obj: JsonObject): InstrumentationScope {
  return {
    name: readString(obj, 'name'),
    version: readString(obj, 'version'),
    attributes: readAttributes(obj),
    droppedAttributesCount: readUint32(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
  };
}

function decodeSpan(obj: JsonObject): Span {
  return {
    traceId: readHexId(obj, 'traceId', 'trace_id'),
    spanId: readHexId(obj, 'spanId', 'span_id'),
    traceState: readString(obj, 'traceState', 'trace_state'),
    parentSpanId: rootIfZero(readHexId(obj, 'parentSpanId', 'parent_span_id')),
    flags: readUint32(obj, 'flags'),
    name: readString(obj, 'name'),
    kind: readEnum(obj, SPAN_KIND, 'kind'),
    startTimeUnixNano: readUint64(obj, 'startTimeUnixNano', 'start_time_unix_nano'),
    endTimeUnixNano: readUint64(obj, 'endTimeUnixNano', 'end_time_unix_nano'),
    attributes: readAttributes(obj),
    droppedAttributesCount: readUint32(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
    events: readList(obj, 'events', 'events', decodeEvent),
    droppedEventsCount: readUint32(obj, 'droppedEventsCount', 'dropped_events_count'),
    links: readList(obj, 'links', 'links', decodeLink),
    droppedLinksCount: readUint32(obj, 'droppedLinksCount', 'dropped_links_count'),
    status: readMessage(obj, 'status', 'status', decodeStatus, unsetStatus),
  };
}

function decodeEvent(obj: JsonObject): SpanEvent {
  return {
    timeUnixNano: readUint64(obj, 'timeUnixNano', 'time_unix_nano'),
    name: readString(obj, 'name'),
    attributes: readAttributes(obj),
    droppedAttributesCount: readUint32(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
  };
}

function decodeLink(obj: JsonObject): SpanLink {
  return {
    traceId: readHexId(obj, 'traceId', 'trace_id'),
    spanId: readHexId(obj, 'spanId', 'span_id'),
    traceState: readString(obj, 'traceState', 'trace_state'),
    attributes: readAttributes(obj),
    droppedAttributesCount: readUint32(obj, 'droppedAttributesCount', 'dropped_attributes_count'),
    flags: readUint32(obj, 'flags'),
  };
}

// Status field 1 (`deprecated_code`) is reserved and, if an old sender still writes it, ignored.
function decodeStatus(obj: JsonObject): Status {
  return {
    code: readEnum(obj, STATUS_CODE, 'code'),
    message: readString(obj, 'message'),
  };
}

/** An all-zero parent id is no parent (decode-traces.ts: why). */
function rootIfZero(parentSpanId: string): string {
  return parentSpanId === ALL_ZERO_SPAN_ID ? '' : parentSpanId;
}
