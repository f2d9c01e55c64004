import type { KeyValue } from '../../model/attributes.js';
import { findAttribute } from '../../model/attributes.js';
import type { InstrumentationScope, Resource, Span, TracesData } from '../../model/span.js';
import { RowBinaryWriter } from '../rowbinary/rowbinary-writer.js';
import { hasTypedAttributes, writeAnyValueMap, writeStringMap, writeTypeMap } from './attribute-columns.js';

/** pdata's `SpanKind.String()` / `StatusCode.String()`, which the collector's exporter stores. */
const SPAN_KIND_NAMES = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const STATUS_CODE_NAMES = ['Unset', 'Ok', 'Error'];

/**
 * Encodes spans as RowBinary rows of `otel_traces` (columns in SPAN_ROW_COLUMNS order): the
 * collector's columns filled as its exporter fills them, then Tracehouse's, which keep what the
 * collector's drop (types, scope attributes, counts, flags, schema URLs).
 */
export function encodeSpanRows(data: TracesData, w = new RowBinaryWriter()): Buffer {
  for (const rs of data) {
    const service = findAttribute(rs.resource.attributes, 'service.name');
    const serviceName = typeof service === 'string' ? service : '';
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans)
        writeSpanRow(w, span, rs.resource, rs.schemaUrl, ss.scope, ss.schemaUrl, serviceName);
    }
  }
  return w.take();
}

function writeSpanRow(
  w: RowBinaryWriter,
  span: Span,
  resource: Resource,
  resourceSchemaUrl: string,
  scope: InstrumentationScope,
  scopeSchemaUrl: string,
  serviceName: string,
): void {
  w.dateTime64Nanos(span.startTimeUnixNano);
  w.string(span.traceId);
  w.string(span.spanId);
  w.string(span.parentSpanId);
  w.string(span.traceState);
  w.string(span.name);
  w.string(SPAN_KIND_NAMES[span.kind] ?? SPAN_KIND_NAMES[0]);
  w.string(serviceName);
  writeStringMap(w, resource.attributes);
  w.string(scope.name);
  w.string(scope.version);
  writeStringMap(w, span.attributes);
  // Duration is unsigned; an end before the start (a sender's clock went back) is stored as 0.
  const duration = span.endTimeUnixNano - span.startTimeUnixNano;
  w.uint64(duration > 0n ? duration : 0n);
  w.string(STATUS_CODE_NAMES[span.status.code] ?? STATUS_CODE_NAMES[0]);
  w.string(span.status.message);

  const events = span.events;
  w.varUInt(events.length);
  for (const e of events) w.dateTime64Nanos(e.timeUnixNano);
  w.varUInt(events.length);
  for (const e of events) w.string(e.name);
  w.varUInt(events.length);
  for (const e of events) writeStringMap(w, e.attributes);

  const links = span.links;
  w.varUInt(links.length);
  for (const l of links) w.string(l.traceId);
  w.varUInt(links.length);
  for (const l of links) w.string(l.spanId);
  w.varUInt(links.length);
  for (const l of links) w.string(l.traceState);
  w.varUInt(links.length);
  for (const l of links) writeStringMap(w, l.attributes);

  w.string(resourceSchemaUrl);
  writeTypeMap(w, resource.attributes);
  writeAnyValueMap(w, resource.attributes);
  w.uint32(resource.droppedAttributesCount);
  w.string(scopeSchemaUrl);
  writeStringMap(w, scope.attributes);
  writeTypeMap(w, scope.attributes);
  writeAnyValueMap(w, scope.attributes);
  w.uint32(scope.droppedAttributesCount);
  w.uint32(span.flags);
  writeTypeMap(w, span.attributes);
  writeAnyValueMap(w, span.attributes);
  w.uint32(span.droppedAttributesCount);
  w.uint32(span.droppedEventsCount);
  w.uint32(span.droppedLinksCount);

  // Per-event and per-link extras: empty when every item has the defaults (the schema's rule).
  writePerItem(
    w,
    events,
    (e) => e.attributes,
    (e) => e.droppedAttributesCount,
  );
  const linkFlags = links.some((l) => l.flags !== 0);
  w.varUInt(linkFlags ? links.length : 0);
  if (linkFlags) for (const l of links) w.uint32(l.flags);
  writePerItem(
    w,
    links,
    (l) => l.attributes,
    (l) => l.droppedAttributesCount,
  );
}

function writePerItem<T>(
  w: RowBinaryWriter,
  items: readonly T[],
  attributesOf: (item: T) => readonly KeyValue[],
  droppedOf: (item: T) => number,
): void {
  const typed = items.some((item) => hasTypedAttributes(attributesOf(item)));
  w.varUInt(typed ? items.length : 0);
  if (typed) for (const item of items) writeTypeMap(w, attributesOf(item));
  w.varUInt(typed ? items.length : 0);
  if (typed) for (const item of items) writeAnyValueMap(w, attributesOf(item));
  const dropped = items.some((item) => droppedOf(item) !== 0);
  w.varUInt(dropped ? items.length : 0);
  if (dropped) for (const item of items) w.uint32(droppedOf(item));
}
