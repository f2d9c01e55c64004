import type { AnyValue, KeyValue } from '../../model/attributes.js';
import type { InstrumentationScope, Resource, Span, TracesData } from '../../model/span.js';
import { ProtoWriter } from './proto-writer.js';

/**
 * Encodes the model as `ExportTraceServiceRequest` bytes (same field numbers as decode-traces.ts).
 * Used by the OTLP exporters, for responses in tests and to build benchmark payloads.
 */
export function encodeExportTraceServiceRequest(data: TracesData): Buffer {
  const w = new ProtoWriter(64 * 1024);
  for (const rs of data) {
    w.beginMessage(1);
    writeResource(w, rs.resource);
    for (const ss of rs.scopeSpans) {
      w.beginMessage(2);
      writeScope(w, ss.scope);
      for (const span of ss.spans) writeSpan(w, span);
      w.stringField(3, ss.schemaUrl);
      w.endMessage();
    }
    w.stringField(3, rs.schemaUrl);
    w.endMessage();
  }
  return w.finish();
}

function writeResource(w: ProtoWriter, resource: Resource): void {
  if (resource.attributes.length === 0 && resource.droppedAttributesCount === 0) return;
  w.beginMessage(1);
  writeAttributes(w, 1, resource.attributes);
  w.uint32Field(2, resource.droppedAttributesCount);
  w.endMessage();
}

function writeScope(w: ProtoWriter, scope: InstrumentationScope): void {
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
  writeAttributes(w, 3, scope.attributes);
  w.uint32Field(4, scope.droppedAttributesCount);
  w.endMessage();
}

function writeSpan(w: ProtoWriter, span: Span): void {
  w.beginMessage(2);
  w.hexField(1, span.traceId);
  w.hexField(2, span.spanId);
  w.stringField(3, span.traceState);
  w.hexField(4, span.parentSpanId);
  w.stringField(5, span.name);
  w.uint32Field(6, span.kind);
  w.fixed64Field(7, span.startTimeUnixNano);
  w.fixed64Field(8, span.endTimeUnixNano);
  writeAttributes(w, 9, span.attributes);
  w.uint32Field(10, span.droppedAttributesCount);
  for (const event of span.events) {
    w.beginMessage(11);
    w.fixed64Field(1, event.timeUnixNano);
    w.stringField(2, event.name);
    writeAttributes(w, 3, event.attributes);
    w.uint32Field(4, event.droppedAttributesCount);
    w.endMessage();
  }
  w.uint32Field(12, span.droppedEventsCount);
  for (const link of span.links) {
    w.beginMessage(13);
    w.hexField(1, link.traceId);
    w.hexField(2, link.spanId);
    w.stringField(3, link.traceState);
    writeAttributes(w, 4, link.attributes);
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

function writeAttributes(w: ProtoWriter, field: number, attributes: readonly KeyValue[]): void {
  for (const kv of attributes) {
    w.beginMessage(field);
    w.stringField(1, kv.key);
    writeAnyValue(w, 2, kv.value);
    w.endMessage();
  }
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
        writeAttributes(w, 1, value.kvlistValue);
        w.endMessage();
      }
  }
  w.endMessage();
}
