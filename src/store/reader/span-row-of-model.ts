import type { KeyValue } from '../../model/attributes.js';
import { anyValueKind, findAttribute } from '../../model/attributes.js';
import { attributeString } from '../../model/attribute-string.js';
import type { InstrumentationScope, Resource, Span } from '../../model/span.js';
import { encodeAnyValue } from '../../otlp/json/encode-any-value.js';
import { needsAnyValueEncoding } from '../schema/attribute-types.js';
import { stringsSharingTypedKeys } from '../rows/attribute-columns.js';
import type { StoredEntries, StoredMap } from '../rows/attribute-values.js';
import { NO_ENTRIES } from '../rows/attribute-values.js';
import { SPAN_KIND_NAMES, STATUS_CODE_NAMES } from '../rows/encode-span-rows.js';
import type { SpanRow } from './span-row-select.js';

/** The three stored forms of an attribute list (schema/attribute-types.ts), as a SpanRow holds them. */
interface AttributeColumns {
  keys: string[];
  values: string[];
  types: StoredMap;
  anyValues: StoredMap;
  entries: StoredEntries;
}

/**
 * As a read of `otel_traces` gives them: the entries encode-span-rows.ts writes (a key repeated
 * with a non-string has a type for each of its attributes), the maps as objects (the last entry of
 * a key, as JSON.parse keeps it), and as entries too when the type map repeats a key.
 */
function columnsOf(attributes: readonly KeyValue[]): AttributeColumns {
  const sharing = stringsSharingTypedKeys(attributes, undefined);
  const keys = new Array<string>(attributes.length);
  const values = new Array<string>(attributes.length);
  const types: StoredMap = {};
  const anyValues: StoredMap = {};
  let repeats = false;
  for (let i = 0; i < attributes.length; i++) {
    const { key, value } = attributes[i];
    keys[i] = key;
    values[i] = attributeString(value);
    if (typeof value === 'string' && sharing?.[i] !== 1) continue;
    const kind = anyValueKind(value);
    if (Object.hasOwn(types, key)) repeats = true;
    types[key] = kind;
    if (needsAnyValueEncoding(kind)) anyValues[key] = JSON.stringify(encodeAnyValue(value));
  }
  const entries = repeats ? entriesOf(attributes, sharing) : NO_ENTRIES;
  return { keys, values, types, anyValues, entries };
}

function entriesOf(attributes: readonly KeyValue[], sharing: Uint8Array | undefined): StoredEntries {
  const typeKeys: string[] = [];
  const types: string[] = [];
  const anyValueKeys: string[] = [];
  const anyValues: string[] = [];
  for (let i = 0; i < attributes.length; i++) {
    const { key, value } = attributes[i];
    if (typeof value === 'string' && sharing?.[i] !== 1) continue;
    const kind = anyValueKind(value);
    typeKeys.push(key);
    types.push(kind);
    if (!needsAnyValueEncoding(kind)) continue;
    anyValueKeys.push(key);
    anyValues.push(JSON.stringify(encodeAnyValue(value)));
  }
  return [typeKeys, types, anyValueKeys, anyValues];
}

/** Per event or link, as ENTRY_FIELDS reads them: `[]` when no item has entries. */
function itemEntries(items: readonly AttributeColumns[]): StoredEntries[] {
  return items.some((item) => item.entries.length !== 0) ? items.map((item) => item.entries) : [];
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
    resourceEntries: res.entries,
    scopeEntries: sc.entries,
    spanEntries: attrs.entries,
    eventEntries: itemEntries(events),
    linkEntries: itemEntries(links),
  };
}
