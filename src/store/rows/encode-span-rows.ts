import type { KeyValue } from '../../model/attributes.js';
import { findAttribute } from '../../model/attributes.js';
import type { Span, TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
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
export function encodeSpanRows(data: TracesData): Buffer {
  // ~600 bytes a span with ten attributes: start near the final size to avoid regrowing.
  const w = new RowBinaryWriter(Math.max(4096, countSpans(data) * 640));
  const scratch = new RowBinaryWriter(4096);
  for (const rs of data) {
    const service = findAttribute(rs.resource.attributes, 'service.name');
    // The resource's and scope's columns are the same for every span under them: encode once.
    writeStringMap(scratch, rs.resource.attributes);
    const resourceAttributes = scratch.take();
    scratch.string(rs.schemaUrl);
    writeTypeMap(scratch, rs.resource.attributes);
    writeAnyValueMap(scratch, rs.resource.attributes);
    scratch.uint32(rs.resource.droppedAttributesCount);
    const resourceExtras = scratch.take();
    for (const ss of rs.scopeSpans) {
      scratch.string(ss.scope.name);
      scratch.string(ss.scope.version);
      const scopeNameVersion = scratch.take();
      scratch.string(ss.schemaUrl);
      writeStringMap(scratch, ss.scope.attributes);
      writeTypeMap(scratch, ss.scope.attributes);
      writeAnyValueMap(scratch, ss.scope.attributes);
      scratch.uint32(ss.scope.droppedAttributesCount);
      const shared: SharedColumns = {
        serviceName: typeof service === 'string' ? service : '',
        resourceAttributes,
        resourceExtras,
        scopeNameVersion,
        scopeExtras: scratch.take(),
      };
      for (const span of ss.spans) writeSpanRow(w, span, shared);
    }
  }
  return w.finish();
}

/** Column bytes shared by all spans of one resource and scope. */
interface SharedColumns {
  serviceName: string;
  resourceAttributes: Buffer;
  resourceExtras: Buffer;
  scopeNameVersion: Buffer;
  scopeExtras: Buffer;
}

function writeSpanRow(w: RowBinaryWriter, span: Span, shared: SharedColumns): void {
  w.dateTime64Nanos(span.startTimeUnixNano);
  w.string(span.traceId);
  w.string(span.spanId);
  w.string(span.parentSpanId);
  w.string(span.traceState);
  w.string(span.name);
  w.string(SPAN_KIND_NAMES[span.kind] ?? SPAN_KIND_NAMES[0]);
  w.string(shared.serviceName);
  w.bytes(shared.resourceAttributes);
  w.bytes(shared.scopeNameVersion);
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

  w.bytes(shared.resourceExtras);
  w.bytes(shared.scopeExtras);
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
