import type { KeyValue } from '../../model/attributes.js';
import { anyValueKind, findAttribute } from '../../model/attributes.js';
import { attributeString } from '../../model/attribute-string.js';
import type { InstrumentationScope, Resource, Span } from '../../model/span.js';
import { encodeAnyValue } from '../../otlp/json/encode-any-value.js';
import { needsAnyValueEncoding } from '../schema/attribute-types.js';
import type { StoredMap } from '../rows/attribute-values.js';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../rows/encode-span-rows.js';
import type { SpanRow } from './span-row-select.js';

/** The three stored forms of an attribute list (schema/attribute-types.ts), as a SpanRow holds them. */
interface AttributeColumns {
  keys: string[];
  values: string[];
  types: StoredMap;
  anyValues: StoredMap;
}

function columnsOf(attributes: readonly KeyValue[]): AttributeColumns {
  const keys = new Array<string>(attributes.length);
  const values = new Array<string>(attributes.length);
  const types: StoredMap = {};
  const anyValues: StoredMap = {};
  for (let i = 0; i < attributes.length; i++) {
    const { key, value } = attributes[i];
    keys[i] = key;
    values[i] = attributeString(value);
    if (typeof value === 'string') continue;
    const kind = anyValueKind(value);
    types[key] = kind;
    if (needsAnyValueEncoding(kind)) anyValues[key] = JSON.stringify(encodeAnyValue(value));
  }
  return { keys, values, types, anyValues };
}

/**
 * The row `otel_traces` would hold for a span under its resource and scope (encode-span-rows.ts
 * writes it, span-row-select.ts reads it back): how a layout-3 row of the trace-id-ordered copy,
 * an OTLP span, reaches the readers that take rows. Values as a read of `otel_traces` gives them:
 * times as decimal nanoseconds, a duration of 0 for an end before the start, kind and status by
 * name.
 */
export function spanRowOfModel(
  resource: Resource,
  resourceSchemaUrl: string,
  scope: InstrumentationScope,
  scopeSchemaUrl: string,
  span: Span,
): SpanRow {
  const service = findAttribute(resource.attributes, 'service.name');
  const res = columnsOf(resource.attributes);
  const sc = columnsOf(scope.attributes);
  const attrs = columnsOf(span.attributes);
  const events = span.events.map((e) => columnsOf(e.attributes));
  const links = span.links.map((l) => columnsOf(l.attributes));
  const duration = span.endTimeUnixNano - span.startTimeUnixNano;
  return {
    start: span.startTimeUnixNano.toString(),
    duration: duration > 0n ? duration.toString() : '0',
    TraceId: span.traceId,
    SpanId: span.spanId,
    ParentSpanId: span.parentSpanId,
    TraceState: span.traceState,
    SpanName: span.name,
    SpanKind: SPAN_KIND_NAMES[span.kind] ?? SPAN_KIND_NAMES[0],
    ServiceName: typeof service === 'string' ? service : '',
    resourceKeys: res.keys,
    resourceValues: res.values,
    ScopeName: scope.name,
    ScopeVersion: scope.version,
    spanKeys: attrs.keys,
    spanValues: attrs.values,
    StatusCode: STATUS_CODE_NAMES[span.status.code] ?? STATUS_CODE_NAMES[0],
    StatusMessage: span.status.message,
    eventTimes: span.events.map((e) => e.timeUnixNano.toString()),
    eventNames: span.events.map((e) => e.name),
    eventKeys: events.map((e) => e.keys),
    eventValues: events.map((e) => e.values),
    linkTraceIds: span.links.map((l) => l.traceId),
    linkSpanIds: span.links.map((l) => l.spanId),
    linkTraceStates: span.links.map((l) => l.traceState),
    linkKeys: links.map((l) => l.keys),
    linkValues: links.map((l) => l.values),
    ResourceSchemaUrl: resourceSchemaUrl,
    ResourceAttributeTypes: res.types,
    ResourceAttributeAnyValues: res.anyValues,
    ResourceDroppedAttributesCount: resource.droppedAttributesCount,
    ScopeSchemaUrl: scopeSchemaUrl,
    scopeKeys: sc.keys,
    scopeValues: sc.values,
    ScopeAttributeTypes: sc.types,
    ScopeAttributeAnyValues: sc.anyValues,
    ScopeDroppedAttributesCount: scope.droppedAttributesCount,
    Flags: span.flags,
    SpanAttributeTypes: attrs.types,
    SpanAttributeAnyValues: attrs.anyValues,
    DroppedAttributesCount: span.droppedAttributesCount,
    DroppedEventsCount: span.droppedEventsCount,
    DroppedLinksCount: span.droppedLinksCount,
    EventsAttributeTypes: events.map((e) => e.types),
    EventsAttributeAnyValues: events.map((e) => e.anyValues),
    EventsDroppedAttributesCount: span.events.map((e) => e.droppedAttributesCount),
    LinksFlags: span.links.map((l) => l.flags),
    LinksAttributeTypes: links.map((l) => l.types),
    LinksAttributeAnyValues: links.map((l) => l.anyValues),
    LinksDroppedAttributesCount: span.links.map((l) => l.droppedAttributesCount),
  };
}
