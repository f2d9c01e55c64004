import type { Span, SpanEvent, SpanLink } from '../../model/span.js';
import type { ProtoWriter } from './proto-writer.js';
import type { SourceRun } from './source-run.js';
import { writeAttributes } from './write-attributes.js';

/*
 * The parts of a `Span` message (opentelemetry-proto trace/v1), in field order, shared by the
 * fresh encoder (encode-traces.ts) and the one copying from a source (write-span-from-source.ts).
 * With a run, attributes are copied from its source where unchanged (write-attributes.ts).
 */

/** Fields 1–8: ids, trace state, name, kind, times. */
export function writeSpanHead(w: ProtoWriter, span: Span): void {
  w.hexField(1, span.traceId);
  w.hexField(2, span.spanId);
  w.stringField(3, span.traceState);
  w.hexField(4, span.parentSpanId);
  w.stringField(5, span.name);
  w.uint32Field(6, span.kind);
  w.fixed64Field(7, span.startTimeUnixNano);
  w.fixed64Field(8, span.endTimeUnixNano);
}

/** One `Span.events` field (11). */
export function writeEvent(w: ProtoWriter, event: SpanEvent, run: SourceRun | undefined): void {
  w.beginMessage(11);
  w.fixed64Field(1, event.timeUnixNano);
  w.stringField(2, event.name);
  writeAttributes(w, 3, event.attributes, run);
  w.uint32Field(4, event.droppedAttributesCount);
  w.endMessage();
}

/** One `Span.links` field (13). */
export function writeLink(w: ProtoWriter, link: SpanLink, run: SourceRun | undefined): void {
  w.beginMessage(13);
  w.hexField(1, link.traceId);
  w.hexField(2, link.spanId);
  w.stringField(3, link.traceState);
  writeAttributes(w, 4, link.attributes, run);
  w.uint32Field(5, link.droppedAttributesCount);
  w.fixed32Field(6, link.flags);
  w.endMessage();
}

/** Fields 14–16: dropped links, status, flags. */
export function writeSpanTail(w: ProtoWriter, span: Span): void {
  w.uint32Field(14, span.droppedLinksCount);
  if (span.status.code !== 0 || span.status.message !== '') {
    w.beginMessage(15);
    w.stringField(2, span.status.message);
    w.uint32Field(3, span.status.code);
    w.endMessage();
  }
  w.fixed32Field(16, span.flags);
}
