import type { InstrumentationScope, Resource, Span, TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
import { requestBytesOf } from '../../model/request-bytes.js';
import { ProtoWriter } from './proto-writer.js';
import { SourceRun } from './source-run.js';
import { writeAttributes } from './write-attributes.js';
import { writeEvent, writeLink, writeSpanHead, writeSpanTail } from './write-span-fields.js';
import { writeSpanFromSource } from './write-span-from-source.js';

/** A span with ten attributes and an event or two encodes to 400–600 bytes. */
const BYTES_PER_SPAN_GUESS = 640;

/**
 * Encodes the model as `ExportTraceServiceRequest` bytes (same field numbers as decode-traces.ts).
 * Used by the OTLP exporters, for responses in tests and to build benchmark payloads.
 */
export function encodeExportTraceServiceRequest(data: TracesData): Buffer {
  return writeRequest(newWriter(data), data, writeSpan, undefined);
}

/**
 * Encodes like `encodeExportTraceServiceRequest` the model that was decoded from `source` by
 * decodeExportTraceServiceRequestWithSources and then changed: the parts that still hold what they
 * were decoded with — spans' heads, attributes, events and links — are copied from `source` rather
 * than encoded again (write-span-from-source.ts). A processor worker's output, where most of each
 * span passes unchanged. The same bytes as a fresh encode: only canonical source bytes are copied.
 */
export function encodeExportTraceServiceRequestFromSource(data: TracesData, source: Uint8Array): Buffer {
  const w = newWriter(data);
  return writeRequest(w, data, writeSpanFromSource, new SourceRun(w, source));
}

/** Sized for the batch up front: growing by doubling copied the output several times over. */
function newWriter(data: TracesData): ProtoWriter {
  return new ProtoWriter(countSpans(data) * BYTES_PER_SPAN_GUESS + 1024);
}

/** What writeRequest needs of a request: resources, scopes and spans of some form `S`. */
interface RequestShape<S> {
  resource: Resource;
  scopeSpans: readonly { scope: InstrumentationScope; spans: readonly S[]; schemaUrl: string }[];
  schemaUrl: string;
}

function writeRequest<S, R extends SourceRun | undefined>(
  w: ProtoWriter,
  data: readonly RequestShape<S>[],
  writeOne: (w: ProtoWriter, span: S, run: R) => void,
  run: R,
): Buffer {
  for (const rs of data) {
    // Resource and scope spans hold whole batches: usually 16 KiB to 2 MiB, a 3-byte length.
    w.beginMessage(1, 3);
    writeResource(w, rs.resource, run);
    for (const ss of rs.scopeSpans) {
      w.beginMessage(2, 3);
      writeScope(w, ss.scope, run);
      for (const span of ss.spans) writeOne(w, span, run);
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
    writeSpan(w, span);
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
  writeOneRequest(w, resourceField, resourceSchemaUrl, scopeField, scopeSchemaUrl, span, writeSpan);
}

/** writeOneSpanRequest of a span received as bytes (a view of its request): copied, not encoded. */
export function writeOneEncodedSpanRequest(
  w: ProtoWriter,
  resourceField: Uint8Array,
  resourceSchemaUrl: string,
  scopeField: Uint8Array,
  scopeSchemaUrl: string,
  span: EncodedSpan,
): void {
  writeOneRequest(w, resourceField, resourceSchemaUrl, scopeField, scopeSchemaUrl, span, copySpan);
}

function writeOneRequest<S>(
  w: ProtoWriter,
  resourceField: Uint8Array,
  resourceSchemaUrl: string,
  scopeField: Uint8Array,
  scopeSchemaUrl: string,
  span: S,
  writeOne: (w: ProtoWriter, span: S) => void,
): void {
  w.beginMessage(1, 2);
  w.raw(resourceField, 0, resourceField.length);
  w.beginMessage(2, 2);
  w.raw(scopeField, 0, scopeField.length);
  writeOne(w, span);
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

function writeResource(w: ProtoWriter, resource: Resource, run: SourceRun | undefined): void {
  if (resource.attributes.length === 0 && resource.droppedAttributesCount === 0) return;
  w.beginMessage(1);
  writeAttributes(w, 1, resource.attributes, run);
  w.uint32Field(2, resource.droppedAttributesCount);
  w.endMessage();
}

function writeScope(w: ProtoWriter, scope: InstrumentationScope, run: SourceRun | undefined): void {
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
  writeAttributes(w, 3, scope.attributes, run);
  w.uint32Field(4, scope.droppedAttributesCount);
  w.endMessage();
}

/** A span as a `ScopeSpans.spans` field, every part encoded. */
function writeSpan(w: ProtoWriter, span: Span): void {
  // A span with its ids, times and a few attributes is over 127 bytes: a 2-byte length.
  w.beginMessage(2, 2);
  writeSpanHead(w, span);
  writeAttributes(w, 9, span.attributes, undefined);
  w.uint32Field(10, span.droppedAttributesCount);
  for (const event of span.events) writeEvent(w, event, undefined);
  w.uint32Field(12, span.droppedEventsCount);
  for (const link of span.links) writeLink(w, link, undefined);
  writeSpanTail(w, span);
  w.endMessage();
}
