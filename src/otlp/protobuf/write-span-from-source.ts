import type { Span } from '../../model/span.js';
import { isCanonicalSpanHead } from './canonical-bytes.js';
import type { ProtoWriter } from './proto-writer.js';
import type { SourceRun } from './source-run.js';
import type { SourcedSpan, SourcedSpanEvent, SourcedSpanLink } from './sourced-span-records.js';
import { attributesUnchangedAt, writeAttributesFromSource } from './write-attributes.js';
import { writeEvent, writeLink, writeSpanHead, writeSpanTail } from './write-span-fields.js';

/*
 * A span as a `ScopeSpans.spans` field, copying from the request it was decoded from
 * (decode-traces-with-sources.ts) what still holds the values decoded from those bytes: the head
 * (fields 1–8), each attribute, each whole event and link. The bytes copied are the canonical
 * encoding of those values (only such are sourced; a head is checked here), written in field
 * order, so the output is what a fresh encode gives. Pieces adjacent in the source become one copy (SourceRun): an untouched
 * span is a copy of its head, attributes and events, then its status and flags.
 */
export function writeSpanFromSource(w: ProtoWriter, span: Span, run: SourceRun): void {
  // A span with its ids, times and a few attributes is over 127 bytes: a 2-byte length.
  w.beginMessage(2, 2);
  const sourced = span as Partial<SourcedSpan>;
  if (
    sourced.sourceHeadEnd !== undefined &&
    isHeadUnchanged(span as SourcedSpan) &&
    isCanonicalSpanHead(run.source, sourced.sourceStart!, sourced.sourceHeadEnd)
  )
    run.add(sourced.sourceStart!, sourced.sourceHeadEnd);
  else writeSpanHead(w, span);
  writeAttributesFromSource(run, 9, span.attributes);
  if (span.droppedAttributesCount !== 0) {
    run.flush();
    w.uint32Field(10, span.droppedAttributesCount);
  }
  for (const event of span.events) {
    const sourcedEvent = event as Partial<SourcedSpanEvent>;
    if (sourcedEvent.sourceEnd !== undefined && isEventUnchanged(event as SourcedSpanEvent))
      run.add(sourcedEvent.sourceStart!, sourcedEvent.sourceEnd);
    else {
      run.flush();
      writeEvent(w, event, run);
    }
  }
  if (span.droppedEventsCount !== 0) {
    run.flush();
    w.uint32Field(12, span.droppedEventsCount);
  }
  for (const link of span.links) {
    const sourcedLink = link as Partial<SourcedSpanLink>;
    if (sourcedLink.sourceEnd !== undefined && isLinkUnchanged(link as SourcedSpanLink))
      run.add(sourcedLink.sourceStart!, sourcedLink.sourceEnd);
    else {
      run.flush();
      writeLink(w, link, run);
    }
  }
  run.flush();
  writeSpanTail(w, span);
  w.endMessage();
}

function isHeadUnchanged(span: SourcedSpan): boolean {
  return (
    span.traceId === span.sourceTraceId &&
    span.spanId === span.sourceSpanId &&
    span.parentSpanId === span.sourceParentSpanId &&
    span.name === span.sourceName &&
    span.kind === span.sourceKind &&
    span.startTimeUnixNano === span.sourceStartTime &&
    span.endTimeUnixNano === span.sourceEndTime &&
    span.traceState === span.sourceTraceState
  );
}

function isEventUnchanged(event: SourcedSpanEvent): boolean {
  return (
    event.timeUnixNano === event.sourceTime &&
    event.name === event.sourceName &&
    event.droppedAttributesCount === event.sourceDropped &&
    attributesUnchangedAt(event.attributes, event.sourceAttributesStart, event.sourceAttributesEnd)
  );
}

function isLinkUnchanged(link: SourcedSpanLink): boolean {
  return (
    link.traceId === link.sourceTraceId &&
    link.spanId === link.sourceSpanId &&
    link.traceState === link.sourceTraceState &&
    link.droppedAttributesCount === link.sourceDropped &&
    link.flags === link.sourceFlags &&
    attributesUnchangedAt(link.attributes, link.sourceAttributesStart, link.sourceAttributesEnd)
  );
}
