import type { KeyValue } from '../../model/attributes.js';
import type { Span, SpanEvent, SpanKind, SpanLink, Status } from '../../model/span.js';
import { plainConstructor } from './model-records.js';

/*
 * Spans, events and links decoded with where their bytes lie in the request and what those bytes
 * decoded to (decode-traces-with-sources.ts), for encodeExportTraceServiceRequestFromSource to
 * copy the parts no processor changed. As with SourcedKeyValue, "unchanged" is decided by
 * comparing the fields with the values kept here, never by trusting a processor: one that renames
 * a span or sets its status in place gets that part encoded. Events and links are only made
 * sourced where their bytes are the canonical encoding of those values (canonical-bytes.ts),
 * span heads where they may be (the encoder checks the rest); otherwise the plain records.
 */

/**
 * A span whose fields 1–8 (ids, trace state, name, kind, times), and nothing else, lie at
 * `[sourceStart, sourceHeadEnd)`: copied if unchanged and canonical (isCanonicalSpanHead).
 */
export interface SourcedSpan extends Span {
  sourceStart: number;
  sourceHeadEnd: number;
  sourceTraceId: string;
  sourceSpanId: string;
  sourceTraceState: string;
  sourceParentSpanId: string;
  sourceName: string;
  sourceKind: SpanKind;
  sourceStartTime: bigint;
  sourceEndTime: bigint;
}

/**
 * A span event encoded canonically as the whole `Span.events` field (tag included) at
 * `[sourceStart, sourceEnd)`; its attributes, all in one run, at `[sourceAttributesStart,
 * sourceAttributesEnd)` (tags included; both -1 when it had none).
 */
export interface SourcedSpanEvent extends SpanEvent {
  sourceStart: number;
  sourceEnd: number;
  sourceAttributesStart: number;
  sourceAttributesEnd: number;
  sourceTime: bigint;
  sourceName: string;
  sourceDropped: number;
}

/** A span link, as SourcedSpanEvent. */
export interface SourcedSpanLink extends SpanLink {
  sourceStart: number;
  sourceEnd: number;
  sourceAttributesStart: number;
  sourceAttributesEnd: number;
  sourceTraceId: string;
  sourceSpanId: string;
  sourceTraceState: string;
  sourceDropped: number;
  sourceFlags: number;
}

export const SourcedSpanRecord = plainConstructor(function (
  this: SourcedSpan,
  traceId: string,
  spanId: string,
  traceState: string,
  parentSpanId: string,
  flags: number,
  name: string,
  kind: SpanKind,
  startTimeUnixNano: bigint,
  endTimeUnixNano: bigint,
  attributes: KeyValue[],
  droppedAttributesCount: number,
  events: SpanEvent[],
  droppedEventsCount: number,
  links: SpanLink[],
  droppedLinksCount: number,
  status: Status,
  sourceStart: number,
  sourceHeadEnd: number,
) {
  // The model's fields first, in SpanRecord's order.
  this.traceId = traceId;
  this.spanId = spanId;
  this.traceState = traceState;
  this.parentSpanId = parentSpanId;
  this.flags = flags;
  this.name = name;
  this.kind = kind;
  this.startTimeUnixNano = startTimeUnixNano;
  this.endTimeUnixNano = endTimeUnixNano;
  this.attributes = attributes;
  this.droppedAttributesCount = droppedAttributesCount;
  this.events = events;
  this.droppedEventsCount = droppedEventsCount;
  this.links = links;
  this.droppedLinksCount = droppedLinksCount;
  this.status = status;
  this.sourceStart = sourceStart;
  this.sourceHeadEnd = sourceHeadEnd;
  this.sourceTraceId = traceId;
  this.sourceSpanId = spanId;
  this.sourceTraceState = traceState;
  this.sourceParentSpanId = parentSpanId;
  this.sourceName = name;
  this.sourceKind = kind;
  this.sourceStartTime = startTimeUnixNano;
  this.sourceEndTime = endTimeUnixNano;
});

export const SourcedSpanEventRecord = plainConstructor(function (
  this: SourcedSpanEvent,
  timeUnixNano: bigint,
  name: string,
  attributes: KeyValue[],
  droppedAttributesCount: number,
  sourceStart: number,
  sourceEnd: number,
  sourceAttributesStart: number,
  sourceAttributesEnd: number,
) {
  this.timeUnixNano = timeUnixNano;
  this.name = name;
  this.attributes = attributes;
  this.droppedAttributesCount = droppedAttributesCount;
  this.sourceStart = sourceStart;
  this.sourceEnd = sourceEnd;
  this.sourceAttributesStart = sourceAttributesStart;
  this.sourceAttributesEnd = sourceAttributesEnd;
  this.sourceTime = timeUnixNano;
  this.sourceName = name;
  this.sourceDropped = droppedAttributesCount;
});

export const SourcedSpanLinkRecord = plainConstructor(function (
  this: SourcedSpanLink,
  traceId: string,
  spanId: string,
  traceState: string,
  attributes: KeyValue[],
  droppedAttributesCount: number,
  flags: number,
  sourceStart: number,
  sourceEnd: number,
  sourceAttributesStart: number,
  sourceAttributesEnd: number,
) {
  this.traceId = traceId;
  this.spanId = spanId;
  this.traceState = traceState;
  this.attributes = attributes;
  this.droppedAttributesCount = droppedAttributesCount;
  this.flags = flags;
  this.sourceStart = sourceStart;
  this.sourceEnd = sourceEnd;
  this.sourceAttributesStart = sourceAttributesStart;
  this.sourceAttributesEnd = sourceAttributesEnd;
  this.sourceTraceId = traceId;
  this.sourceSpanId = spanId;
  this.sourceTraceState = traceState;
  this.sourceDropped = droppedAttributesCount;
  this.sourceFlags = flags;
});
