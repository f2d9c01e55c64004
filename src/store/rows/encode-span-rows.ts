import type { KeyValue } from '../../model/attributes.js';
import { findAttribute } from '../../model/attributes.js';
import type { Span, TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
import { nativeBlock, nativeBlockParts } from '../native/native-block.js';
import type { ArrayColumn, ArrayOfMapsColumn, EncodedMap, MapColumn } from '../native/native-columns.js';
import { RowBinaryWriter } from '../rowbinary/rowbinary-writer.js';
import type { MapEntriesWriter } from './attribute-columns.js';
import { hasTypedAttributes, writeAnyValueMap, writeStringMap, writeTypeMap } from './attribute-columns.js';
import { SpanColumns } from './span-columns.js';

/** pdata's `SpanKind.String()` / `StatusCode.String()`, which the collector's exporter stores. */
export const SPAN_KIND_NAMES = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
export const STATUS_CODE_NAMES = ['Unset', 'Ok', 'Error'];

const columns = new SpanColumns();
// Shared maps of one batch, back to back; views into them stay valid when the writers regrow.
const sharedKeys = new RowBinaryWriter(16 * 1024);
const sharedValues = new RowBinaryWriter(16 * 1024);

/**
 * Encodes spans as one Native block of `otel_traces` rows (columns in SPAN_ROW_COLUMNS order): the
 * collector's columns filled as its exporter fills them, then Tracehouse's, which keep what the
 * collector's drop (types, scope attributes, counts, flags, schema URLs). Blocks of several
 * batches concatenated are one insert.
 */
export function encodeSpanRows(data: TracesData): Buffer {
  fillColumns(data);
  return nativeBlock(columns.named, columns.headers, countSpans(data));
}

/**
 * The block of encodeSpanRows as views into writers this module reuses: valid until its next call,
 * so a caller that keeps them copies them first (the store's log record copies them once).
 */
export function spanRowsParts(data: TracesData): Buffer[] {
  fillColumns(data);
  return nativeBlockParts(columns.named, columns.headers, countSpans(data));
}

function fillColumns(data: TracesData): void {
  const c = columns;
  c.reset();
  sharedKeys.reset();
  sharedValues.reset();
  for (const rs of data) {
    const service = findAttribute(rs.resource.attributes, 'service.name');
    const serviceName = typeof service === 'string' ? service : '';
    // The resource's and scope's maps are the same for every span under them: encode them once.
    const resource = sharedMaps(rs.resource.attributes);
    for (const ss of rs.scopeSpans) {
      const scope = sharedMaps(ss.scope.attributes);
      for (const span of ss.spans) {
        writeSpan(c, span, serviceName);
        c.resourceAttributes.copyRow(resource.strings);
        c.resourceAttributeTypes.copyRow(resource.types);
        c.resourceAttributeAnyValues.copyRow(resource.anyValues);
        c.resourceSchemaUrl.values.string(rs.schemaUrl);
        c.resourceDroppedAttributesCount.values.uint32(rs.resource.droppedAttributesCount);
        c.scopeName.values.string(ss.scope.name);
        c.scopeVersion.values.string(ss.scope.version);
        c.scopeSchemaUrl.values.string(ss.schemaUrl);
        c.scopeAttributes.copyRow(scope.strings);
        c.scopeAttributeTypes.copyRow(scope.types);
        c.scopeAttributeAnyValues.copyRow(scope.anyValues);
        c.scopeDroppedAttributesCount.values.uint32(ss.scope.droppedAttributesCount);
      }
    }
  }
}

interface SharedMaps {
  strings: EncodedMap;
  types: EncodedMap;
  anyValues: EncodedMap;
}

function sharedMaps(attributes: readonly KeyValue[]): SharedMaps {
  return {
    strings: encodeMap(writeStringMap, attributes),
    types: encodeMap(writeTypeMap, attributes),
    anyValues: encodeMap(writeAnyValueMap, attributes),
  };
}

function encodeMap(write: MapEntriesWriter, attributes: readonly KeyValue[]): EncodedMap {
  const keysStart = sharedKeys.length;
  const valuesStart = sharedValues.length;
  const count = write(sharedKeys, sharedValues, attributes);
  return { count, keys: sharedKeys.contentsFrom(keysStart), values: sharedValues.contentsFrom(valuesStart) };
}

/** The span's own columns (everything but the resource's and scope's). */
function writeSpan(c: SpanColumns, span: Span, serviceName: string): void {
  c.timestamp.values.int64(span.startTimeUnixNano);
  c.traceId.values.string(span.traceId);
  c.spanId.values.string(span.spanId);
  c.parentSpanId.values.string(span.parentSpanId);
  c.traceState.values.string(span.traceState);
  c.spanName.values.string(span.name);
  c.spanKind.values.string(SPAN_KIND_NAMES[span.kind] ?? SPAN_KIND_NAMES[0]);
  c.serviceName.values.string(serviceName);
  writeMap(c.spanAttributes, writeStringMap, span.attributes);
  writeMap(c.spanAttributeTypes, writeTypeMap, span.attributes);
  writeMap(c.spanAttributeAnyValues, writeAnyValueMap, span.attributes);
  // Duration is unsigned; an end before the start (a sender's clock went back) is stored as 0.
  const duration = span.endTimeUnixNano - span.startTimeUnixNano;
  c.duration.values.uint64(duration > 0n ? duration : 0n);
  c.statusCode.values.string(STATUS_CODE_NAMES[span.status.code] ?? STATUS_CODE_NAMES[0]);
  c.statusMessage.values.string(span.status.message);
  c.flags.values.uint32(span.flags);
  c.droppedAttributesCount.values.uint32(span.droppedAttributesCount);
  c.droppedEventsCount.values.uint32(span.droppedEventsCount);
  c.droppedLinksCount.values.uint32(span.droppedLinksCount);

  const events = span.events;
  for (const e of events) {
    c.eventTimestamps.values.int64(e.timeUnixNano);
    c.eventNames.values.string(e.name);
  }
  c.eventTimestamps.endRow(events.length);
  c.eventNames.endRow(events.length);
  writeMaps(c.eventAttributes, writeStringMap, events, events.length);

  const links = span.links;
  for (const l of links) {
    c.linkTraceIds.values.string(l.traceId);
    c.linkSpanIds.values.string(l.spanId);
    c.linkTraceStates.values.string(l.traceState);
  }
  c.linkTraceIds.endRow(links.length);
  c.linkSpanIds.endRow(links.length);
  c.linkTraceStates.endRow(links.length);
  writeMaps(c.linkAttributes, writeStringMap, links, links.length);

  // Per-event and per-link extras: empty when every item has the defaults (the schema's rule).
  const typedEvents = events.some((e) => hasTypedAttributes(e.attributes)) ? events.length : 0;
  writeMaps(c.eventAttributeTypes, writeTypeMap, events, typedEvents);
  writeMaps(c.eventAttributeAnyValues, writeAnyValueMap, events, typedEvents);
  writeCounts(c.eventDroppedAttributesCounts, events, (e) => e.droppedAttributesCount);
  writeCounts(c.linkFlags, links, (l) => l.flags);
  const typedLinks = links.some((l) => hasTypedAttributes(l.attributes)) ? links.length : 0;
  writeMaps(c.linkAttributeTypes, writeTypeMap, links, typedLinks);
  writeMaps(c.linkAttributeAnyValues, writeAnyValueMap, links, typedLinks);
  writeCounts(c.linkDroppedAttributesCounts, links, (l) => l.droppedAttributesCount);
}

function writeMap(column: MapColumn, write: MapEntriesWriter, attributes: readonly KeyValue[]): void {
  column.endRow(write(column.keys, column.values, attributes));
}

/** One map per item for the first `count` items (all of them, or none when all are empty). */
function writeMaps(
  column: ArrayOfMapsColumn,
  write: MapEntriesWriter,
  items: readonly { attributes: readonly KeyValue[] }[],
  count: number,
): void {
  for (let i = 0; i < count; i++) column.endItem(write(column.keys, column.values, items[i].attributes));
  column.endRow(count);
}

/** A number per item, or an empty array when every item has 0 (the schema's rule for defaults). */
function writeCounts<T>(column: ArrayColumn, items: readonly T[], countOf: (item: T) => number): void {
  const any = items.some((item) => countOf(item) !== 0);
  if (any) for (const item of items) column.values.uint32(countOf(item));
  column.endRow(any ? items.length : 0);
}
