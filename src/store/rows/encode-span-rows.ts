import type { KeyValue } from '../../model/attributes.js';
import { findAttribute } from '../../model/attributes.js';
import type { Span, SpanEvent, SpanLink, TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
import { nativeBlock, nativeBlockParts } from '../native/native-block.js';
import type { ArrayOfMapsColumn, EncodedMap, MapColumn } from '../native/native-columns.js';
import type { ReceivedAttributes } from '../../otlp/protobuf/received-attributes.js';
import { ReceivedSpanStrings } from '../../otlp/protobuf/received-span-strings.js';
import { SpanFieldCursor } from '../../otlp/protobuf/span-field-cursor.js';
import { RowBinaryWriter } from '../rowbinary/rowbinary-writer.js';
import type { MapEntriesWriter } from './attribute-columns.js';
import {
  hasTypedAttributes,
  receivedFor,
  writeAnyValueMap,
  writeStringMap,
  writeTypeMap,
} from './attribute-columns.js';
import { SpanColumns } from './span-columns.js';

/** pdata's `SpanKind.String()` / `StatusCode.String()`, which the collector's exporter stores. */
export const SPAN_KIND_NAMES = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
export const STATUS_CODE_NAMES = ['Unset', 'Ok', 'Error'];

const columns = new SpanColumns();
// Shared maps of one batch, back to back; views into them stay valid when the writers regrow.
const sharedKeys = new RowBinaryWriter(16 * 1024);
const sharedValues = new RowBinaryWriter(16 * 1024);
/** A batch's strings repeated by every span of a resource or scope, each encoded once. */
const sharedStrings = new RowBinaryWriter(4 * 1024);
/** Where the current span's strings lie in the request it was received as, if it carries one. */
const received = new ReceivedSpanStrings();

const KIND_BYTES = SPAN_KIND_NAMES.map(encodedString);
const STATUS_BYTES = STATUS_CODE_NAMES.map(encodedString);

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
  sharedStrings.reset();
  // A batch that carries its request's bytes (model/request-bytes.ts) has its spans' strings
  // copied from them rather than encoded again.
  const cursor = SpanFieldCursor.over(data);
  for (const rs of data) {
    const service = findAttribute(rs.resource.attributes, 'service.name');
    // The resource's and scope's columns are the same for every span under them: encode them once.
    const serviceName = sharedString(typeof service === 'string' ? service : '');
    const resourceSchemaUrl = sharedString(rs.schemaUrl);
    const resource = sharedMaps(rs.resource.attributes);
    for (const ss of rs.scopeSpans) {
      const scope = sharedMaps(ss.scope.attributes);
      const scopeName = sharedString(ss.scope.name);
      const scopeVersion = sharedString(ss.scope.version);
      const scopeSchemaUrl = sharedString(ss.schemaUrl);
      for (const span of ss.spans) {
        let strings: ReceivedSpanStrings | undefined;
        if (cursor !== undefined) {
          cursor.next();
          if (received.scan(cursor.bytes, cursor.start, cursor.end)) strings = received;
        }
        writeSpan(c, span, serviceName, strings);
        c.resourceAttributes.copyRow(resource.strings);
        c.resourceAttributeTypes.copyRow(resource.types);
        c.resourceAttributeAnyValues.copyRow(resource.anyValues);
        c.resourceSchemaUrl.values.bytes(resourceSchemaUrl);
        c.resourceDroppedAttributesCount.values.uint32(rs.resource.droppedAttributesCount);
        c.scopeName.values.bytes(scopeName);
        c.scopeVersion.values.bytes(scopeVersion);
        c.scopeSchemaUrl.values.bytes(scopeSchemaUrl);
        c.scopeAttributes.copyRow(scope.strings);
        c.scopeAttributeTypes.copyRow(scope.types);
        c.scopeAttributeAnyValues.copyRow(scope.anyValues);
        c.scopeDroppedAttributesCount.values.uint32(ss.scope.droppedAttributesCount);
      }
    }
  }
}

/** A String value as written to a column, for copying into many rows. */
function sharedString(value: string): Buffer {
  const start = sharedStrings.length;
  sharedStrings.string(value);
  return sharedStrings.contentsFrom(start);
}

function encodedString(value: string): Buffer {
  const w = new RowBinaryWriter(64);
  w.string(value);
  return w.take();
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
  const count = write(sharedKeys, sharedValues, attributes, undefined);
  return { count, keys: sharedKeys.contentsFrom(keysStart), values: sharedValues.contentsFrom(valuesStart) };
}

/**
 * The span's own columns (everything but the resource's and scope's); its strings from `r` when
 * the span was received as bytes, else encoded from the model.
 */
function writeSpan(
  c: SpanColumns,
  span: Span,
  serviceName: Buffer,
  r: ReceivedSpanStrings | undefined,
): void {
  c.timestamp.values.int64(span.startTimeUnixNano);
  if (r === undefined) {
    c.traceId.values.string(span.traceId);
    c.spanId.values.string(span.spanId);
    c.parentSpanId.values.string(span.parentSpanId);
  } else {
    c.traceId.values.hexBytes(r.bytes, r.traceIdStart, r.traceIdEnd);
    c.spanId.values.hexBytes(r.bytes, r.spanIdStart, r.spanIdEnd);
    c.parentSpanId.values.hexBytes(r.bytes, r.parentSpanIdStart, r.parentSpanIdEnd);
  }
  if (r === undefined) c.traceState.values.string(span.traceState);
  else c.traceState.values.stringBytes(r.bytes, r.traceStateStart, r.traceStateEnd);
  if (r === undefined) c.spanName.values.string(span.name);
  else c.spanName.values.stringBytes(r.bytes, r.nameStart, r.nameEnd);
  c.spanKind.values.bytes(KIND_BYTES[span.kind] ?? KIND_BYTES[0]);
  c.serviceName.values.bytes(serviceName);
  const attributes = receivedFor(span.attributes, r?.attributes);
  writeMap(c.spanAttributes, writeStringMap, span.attributes, attributes);
  writeMap(c.spanAttributeTypes, writeTypeMap, span.attributes, attributes);
  writeMap(c.spanAttributeAnyValues, writeAnyValueMap, span.attributes, attributes);
  // Duration is unsigned; an end before the start (a sender's clock went back) is stored as 0.
  const duration = span.endTimeUnixNano - span.startTimeUnixNano;
  c.duration.values.uint64(duration > 0n ? duration : 0n);
  c.statusCode.values.bytes(STATUS_BYTES[span.status.code] ?? STATUS_BYTES[0]);
  if (r === undefined) c.statusMessage.values.string(span.status.message);
  else c.statusMessage.values.stringBytes(r.bytes, r.statusMessageStart, r.statusMessageEnd);
  c.flags.values.uint32(span.flags);
  c.droppedAttributesCount.values.uint32(span.droppedAttributesCount);
  c.droppedEventsCount.values.uint32(span.droppedEventsCount);
  c.droppedLinksCount.values.uint32(span.droppedLinksCount);
  // The received ranges serve only when they list as many events and links as the model.
  const items =
    r !== undefined && r.events.count === span.events.length && r.links.count === span.links.length;
  writeEvents(c, span.events, items ? r : undefined);
  writeLinks(c, span.links, items ? r : undefined);
}

function writeEvents(c: SpanColumns, events: readonly SpanEvent[], r: ReceivedSpanStrings | undefined): void {
  // Per-event extras: empty when every event has the defaults (the schema's rule).
  // Received: whether any attribute is typed is read from the bytes, not the model's objects.
  const received = r === undefined ? -1 : r.eventsHaveTypedAttributes();
  let typed = received > 0 ? events.length : 0;
  let dropped = 0;
  for (const e of events) {
    if (received < 0 && hasTypedAttributes(e.attributes)) typed = events.length;
    if (e.droppedAttributesCount !== 0) dropped = events.length;
  }
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    const item = r !== undefined && r.scanEvent(i) ? r : undefined;
    c.eventTimestamps.values.int64(e.timeUnixNano);
    if (item === undefined) c.eventNames.values.string(e.name);
    else c.eventNames.values.stringBytes(item.bytes, item.itemStringStart, item.itemStringEnd);
    const attributes = receivedFor(e.attributes, item?.itemAttributes);
    writeItemMap(c.eventAttributes, writeStringMap, e.attributes, attributes);
    if (typed > 0) {
      writeItemMap(c.eventAttributeTypes, writeTypeMap, e.attributes, attributes);
      writeItemMap(c.eventAttributeAnyValues, writeAnyValueMap, e.attributes, attributes);
    }
    if (dropped > 0) c.eventDroppedAttributesCounts.values.uint32(e.droppedAttributesCount);
  }
  c.eventTimestamps.endRow(events.length);
  c.eventNames.endRow(events.length);
  c.eventAttributes.endRow(events.length);
  c.eventAttributeTypes.endRow(typed);
  c.eventAttributeAnyValues.endRow(typed);
  c.eventDroppedAttributesCounts.endRow(dropped);
}

function writeLinks(c: SpanColumns, links: readonly SpanLink[], r: ReceivedSpanStrings | undefined): void {
  // Per-link extras: empty when every link has the defaults (the schema's rule).
  let typed = 0;
  let flagged = 0;
  let dropped = 0;
  for (const l of links) {
    if (hasTypedAttributes(l.attributes)) typed = links.length;
    if (l.flags !== 0) flagged = links.length;
    if (l.droppedAttributesCount !== 0) dropped = links.length;
  }
  for (let i = 0; i < links.length; i++) {
    const l = links[i];
    const item = r !== undefined && r.scanLink(i) ? r : undefined;
    c.linkTraceIds.values.string(l.traceId);
    c.linkSpanIds.values.string(l.spanId);
    if (item === undefined) c.linkTraceStates.values.string(l.traceState);
    else c.linkTraceStates.values.stringBytes(item.bytes, item.itemStringStart, item.itemStringEnd);
    const attributes = receivedFor(l.attributes, item?.itemAttributes);
    writeItemMap(c.linkAttributes, writeStringMap, l.attributes, attributes);
    if (flagged > 0) c.linkFlags.values.uint32(l.flags);
    if (typed > 0) {
      writeItemMap(c.linkAttributeTypes, writeTypeMap, l.attributes, attributes);
      writeItemMap(c.linkAttributeAnyValues, writeAnyValueMap, l.attributes, attributes);
    }
    if (dropped > 0) c.linkDroppedAttributesCounts.values.uint32(l.droppedAttributesCount);
  }
  c.linkTraceIds.endRow(links.length);
  c.linkSpanIds.endRow(links.length);
  c.linkTraceStates.endRow(links.length);
  c.linkAttributes.endRow(links.length);
  c.linkFlags.endRow(flagged);
  c.linkAttributeTypes.endRow(typed);
  c.linkAttributeAnyValues.endRow(typed);
  c.linkDroppedAttributesCounts.endRow(dropped);
}

function writeMap(
  column: MapColumn,
  write: MapEntriesWriter,
  attributes: readonly KeyValue[],
  received: ReceivedAttributes | undefined,
): void {
  column.endRow(write(column.keys, column.values, attributes, received));
}

/** One item's map of an `Array(Map)` column; the caller ends the row. */
function writeItemMap(
  column: ArrayOfMapsColumn,
  write: MapEntriesWriter,
  attributes: readonly KeyValue[],
  received: ReceivedAttributes | undefined,
): void {
  column.endItem(write(column.keys, column.values, attributes, received));
}
