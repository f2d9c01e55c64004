import type { AnyValue, KeyValue } from '../../model/attributes.js';
import type { InstrumentationScope, Resource, Span, TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
import { requestBytesOf } from '../../model/request-bytes.js';
import type { SourcedKeyValue } from './model-records.js';
import { WireType } from './proto-reader.js';
import { ProtoWriter } from './proto-writer.js';

/** A span with ten attributes and an event or two encodes to 400–600 bytes. */
const BYTES_PER_SPAN_GUESS = 640;

/**
 * Encodes the model as `ExportTraceServiceRequest` bytes (same field numbers as decode-traces.ts).
 * Used by the OTLP exporters, for responses in tests and to build benchmark payloads.
 */
export function encodeExportTraceServiceRequest(data: TracesData): Buffer {
  return encodeRequest(data, undefined);
}

/**
 * Encodes like `encodeExportTraceServiceRequest` the model that was decoded from `source` by
 * decodeExportTraceServiceRequestWithSources and then changed: attributes that still hold the key
 * and value they were decoded with are copied from `source` rather than encoded again. A processor
 * worker's output, where most attributes pass unchanged.
 */
export function encodeExportTraceServiceRequestFromSource(data: TracesData, source: Uint8Array): Buffer {
  return encodeRequest(data, source);
}

function encodeRequest(data: TracesData, source: Uint8Array | undefined): Buffer {
  // Sized for the batch up front: growing by doubling copied the output several times over.
  return writeRequest(
    new ProtoWriter(countSpans(data) * BYTES_PER_SPAN_GUESS + 1024),
    data,
    writeSpan,
    source,
  );
}

/** What writeRequest needs of a request: resources, scopes and spans of some form `S`. */
interface RequestShape<S> {
  resource: Resource;
  scopeSpans: readonly { scope: InstrumentationScope; spans: readonly S[]; schemaUrl: string }[];
  schemaUrl: string;
}

function writeRequest<S>(
  w: ProtoWriter,
  data: readonly RequestShape<S>[],
  writeOne: (w: ProtoWriter, span: S, source: Uint8Array | undefined) => void,
  source: Uint8Array | undefined,
): Buffer {
  for (const rs of data) {
    // Resource and scope spans hold whole batches: usually 16 KiB to 2 MiB, a 3-byte length.
    w.beginMessage(1, 3);
    writeResource(w, rs.resource, source);
    for (const ss of rs.scopeSpans) {
      w.beginMessage(2, 3);
      writeScope(w, ss.scope, source);
      for (const span of ss.spans) writeOne(w, span, source);
      w.stringField(3, ss.schemaUrl);
      w.endMessage();
    }
    w.stringField(3, rs.schemaUrl);
    w.endMessage();
  }
  return w.finish();
}

/** A span encoded as a `ScopeSpans.spans` field (tag, length, body): `bytes[start, end)`. */
export interface EncodedSpan {
  readonly bytes: Uint8Array;
  readonly start: number;
  readonly end: number;
}

/**
 * Encodes spans one after the other, each as a `ScopeSpans.spans` field, into one buffer:
 * `ends[i]` is where span i ends (span 0 starts at 0). For holding spans compactly to send later
 * (tail sampling), off V8's heap.
 */
export function encodeSpanFields(spans: readonly Span[]): { bytes: Buffer; ends: number[] } {
  const w = new ProtoWriter(spans.length * BYTES_PER_SPAN_GUESS + 64);
  const ends: number[] = [];
  for (const span of spans) {
    writeSpan(w, span, undefined);
    ends.push(w.length);
  }
  return { bytes: w.finish(), ends };
}

/**
 * Spans encoded earlier (encodeSpanFields, or views of received bytes) under their resource and
 * scope, as `ResourceSpans`, with the schema URLs those came with (written as OTLP's fields 3).
 */
export interface EncodedResourceSpans<S extends EncodedSpan = EncodedSpan> {
  resource: Resource;
  scopeSpans: { scope: InstrumentationScope; spans: S[]; schemaUrl: string }[];
  schemaUrl: string;
}

/** An `ExportTraceServiceRequest` of spans encoded earlier: their bytes are copied, not re-encoded. */
export function encodeRequestOfEncodedSpans(data: readonly EncodedResourceSpans[]): Buffer {
  let bytes = 0;
  for (const rs of data) for (const ss of rs.scopeSpans) for (const s of ss.spans) bytes += s.end - s.start;
  return writeRequest(new ProtoWriter(bytes + 1024), data, copySpan, undefined);
}

function copySpan(w: ProtoWriter, span: EncodedSpan): void {
  w.raw(span.bytes, span.start, span.end);
}

/**
 * What an OTLP exporter sends for `data`: the bytes it was received as when they still say
 * exactly this batch (pass-through, see model/request-bytes.ts), else a fresh encoding.
 */
export function exportTraceServiceRequestBytes(data: TracesData): Buffer {
  const parts = requestBytesOf(data);
  if (parts === undefined) return encodeExportTraceServiceRequest(data);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * Writes an `ExportTraceServiceRequest` of one span under its resource and scope, whose fields
 * (`ResourceSpans.resource`, `ScopeSpans.scope`: encodeResourceField, encodeScopeField) were
 * encoded once for all the spans under them. The trace-id-ordered copy stores each span this way
 * (store/rows/encode-trace-span-rows.ts).
 */
export function writeOneSpanRequest(
  w: ProtoWriter,
  resourceField: Uint8Array,
  resourceSchemaUrl: string,
  scopeField: Uint8Array,
  scopeSchemaUrl: string,
  span: Span,
): void {
  w.beginMessage(1, 2);
  w.raw(resourceField, 0, resourceField.length);
  w.beginMessage(2, 2);
  w.raw(scopeField, 0, scopeField.length);
  writeSpan(w, span, undefined);
  w.stringField(3, scopeSchemaUrl);
  w.endMessage();
  w.stringField(3, resourceSchemaUrl);
  w.endMessage();
}

/** `ResourceSpans.resource` as a whole field (nothing when the resource is empty). */
export function encodeResourceField(resource: Resource): Buffer {
  const w = new ProtoWriter(512);
  writeResource(w, resource, undefined);
  return w.finish();
}

/** `ScopeSpans.scope` as a whole field (nothing when the scope is empty). */
export function encodeScopeField(scope: InstrumentationScope): Buffer {
  const w = new ProtoWriter(256);
  writeScope(w, scope, undefined);
  return w.finish();
}

function writeResource(w: ProtoWriter, resource: Resource, source: Uint8Array | undefined): void {
  if (resource.attributes.length === 0 && resource.droppedAttributesCount === 0) return;
  w.beginMessage(1);
  writeAttributes(w, 1, resource.attributes, source);
  w.uint32Field(2, resource.droppedAttributesCount);
  w.endMessage();
}

function writeScope(w: ProtoWriter, scope: InstrumentationScope, source: Uint8Array | undefined): void {
  if (
    scope.name === '' &&
    scope.version === '' &&
    scope.attributes.length === 0 &&
    scope.droppedAttributesCount === 0
  )
    return;
  w.beginMessage(1);
  w.stringField(1, scope.name);
  w.stringField(2, scope.version);
  writeAttributes(w, 3, scope.attributes, source);
  w.uint32Field(4, scope.droppedAttributesCount);
  w.endMessage();
}

function writeSpan(w: ProtoWriter, span: Span, source: Uint8Array | undefined): void {
  // A span with its ids, times and a few attributes is over 127 bytes: a 2-byte length.
  w.beginMessage(2, 2);
  w.hexField(1, span.traceId);
  w.hexField(2, span.spanId);
  w.stringField(3, span.traceState);
  w.hexField(4, span.parentSpanId);
  w.stringField(5, span.name);
  w.uint32Field(6, span.kind);
  w.fixed64Field(7, span.startTimeUnixNano);
  w.fixed64Field(8, span.endTimeUnixNano);
  writeAttributes(w, 9, span.attributes, source);
  w.uint32Field(10, span.droppedAttributesCount);
  for (const event of span.events) {
    w.beginMessage(11);
    w.fixed64Field(1, event.timeUnixNano);
    w.stringField(2, event.name);
    writeAttributes(w, 3, event.attributes, source);
    w.uint32Field(4, event.droppedAttributesCount);
    w.endMessage();
  }
  w.uint32Field(12, span.droppedEventsCount);
  for (const link of span.links) {
    w.beginMessage(13);
    w.hexField(1, link.traceId);
    w.hexField(2, link.spanId);
    w.stringField(3, link.traceState);
    writeAttributes(w, 4, link.attributes, source);
    w.uint32Field(5, link.droppedAttributesCount);
    w.fixed32Field(6, link.flags);
    w.endMessage();
  }
  w.uint32Field(14, span.droppedLinksCount);
  if (span.status.code !== 0 || span.status.message !== '') {
    w.beginMessage(15);
    w.stringField(2, span.status.message);
    w.uint32Field(3, span.status.code);
    w.endMessage();
  }
  w.fixed32Field(16, span.flags);
  w.endMessage();
}

function writeAttributes(
  w: ProtoWriter,
  field: number,
  attributes: readonly KeyValue[],
  source: Uint8Array | undefined,
): void {
  if (source !== undefined) {
    writeAttributesFromSource(w, field, attributes, source);
    return;
  }
  for (const kv of attributes) writeAttribute(w, field, kv);
}

/**
 * Writes the attributes that still hold what they were decoded with as copies of their bytes in
 * `source`, and others as writeAttribute does. Attributes that lay one after the other in the
 * source under the same field (the tag byte before each is this field's) are copied as one run,
 * tags included: a processor usually changes a few attributes of a span and leaves runs of the
 * others, and one copy of a run costs about what one copy of an attribute does.
 */
function writeAttributesFromSource(
  w: ProtoWriter,
  field: number,
  attributes: readonly KeyValue[],
  source: Uint8Array,
): void {
  // Attribute fields are 1 to 9: one-byte tags.
  const tag = (field << 3) | WireType.LEN;
  // The run of source bytes not yet written, whole fields with their tags; runStart < 0: none.
  let runStart = -1;
  let runEnd = -1;
  for (const kv of attributes) {
    // Records without a source (made by a processor, or by a decode without sources) read undefined.
    const sourced = kv as Partial<SourcedKeyValue>;
    const start = sourced.sourceStart;
    if (start !== undefined && kv.key === sourced.sourceKey && kv.value === sourced.sourceValue) {
      const end = sourced.sourceEnd!;
      if (runStart >= 0 && start === runEnd + 1 && source[runEnd] === tag) {
        runEnd = end;
        continue;
      }
      if (runStart >= 0) w.raw(source, runStart, runEnd);
      runStart = -1;
      // A KeyValue's tag is the byte before its length when written as this field, canonically.
      if (source[start - 1] === tag) {
        runStart = start - 1;
        runEnd = end;
      } else w.lengthDelimitedCopy(field, source, start, end);
      continue;
    }
    if (runStart >= 0) w.raw(source, runStart, runEnd);
    runStart = -1;
    writeAttribute(w, field, kv);
  }
  if (runStart >= 0) w.raw(source, runStart, runEnd);
}

/** One attribute, the common shapes (ASCII key, ASCII string or int value) without a nested message. */
function writeAttribute(w: ProtoWriter, field: number, kv: KeyValue): void {
  const value = kv.value;
  if (
    typeof value === 'string'
      ? w.asciiStringKeyValue(field, kv.key, value)
      : typeof value === 'bigint' && w.asciiIntKeyValue(field, kv.key, value)
  )
    return;
  writeKeyValueMessage(w, field, kv);
}

/** The general form of an attribute: a KeyValue message, its value an AnyValue message. */
function writeKeyValueMessage(w: ProtoWriter, field: number, kv: KeyValue): void {
  w.beginMessage(field);
  w.stringField(1, kv.key);
  writeAnyValue(w, 2, kv.value);
  w.endMessage();
}

function writeAnyValue(w: ProtoWriter, field: number, value: AnyValue): void {
  w.beginMessage(field);
  switch (typeof value) {
    case 'string':
      // A oneof member is written even when it holds the default value, so the type survives.
      w.stringField(1, value, true);
      break;
    case 'boolean':
      w.boolField(2, value);
      break;
    case 'bigint':
      w.int64Field(3, value);
      break;
    case 'number':
      w.doubleField(4, value);
      break;
    default:
      if (value === null) break;
      if (value instanceof Uint8Array) w.bytesField(7, value, true);
      else if (Array.isArray(value)) {
        w.beginMessage(5);
        for (const item of value) writeAnyValue(w, 1, item);
        w.endMessage();
      } else {
        w.beginMessage(6);
        writeAttributes(w, 1, value.kvlistValue, undefined);
        w.endMessage();
      }
  }
  w.endMessage();
}
