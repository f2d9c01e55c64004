import type { KeyValue } from '../../model/attributes.js';
import type { SpanEvent, SpanLink } from '../../model/span.js';
import { isSmallCanonicalVarint } from './canonical-bytes.js';
import { checkUnknown } from './decode-any-value.js';
import { decodeAttributesWithSources } from './decode-sourced-attributes.js';
import { newList, SpanEventRecord, SpanLinkRecord } from './model-records.js';
import type { ProtoReader } from './proto-reader.js';
import { SourcedSpanEventRecord, SourcedSpanLinkRecord } from './sourced-span-records.js';
import {
  EVENT_ATTRIBUTES,
  EVENT_DROPPED,
  EVENT_NAME,
  EVENT_TIME,
  LINK_ATTRIBUTES,
  LINK_DROPPED,
  LINK_FLAGS,
  LINK_SPAN_ID,
  LINK_TRACE_ID,
  LINK_TRACE_STATE,
} from './trace-field-tags.js';

/*
 * decodeEvent and decodeLink of decode-traces.ts for a processor worker (decode-traces-with-sources.ts):
 * an event or link whose whole field — one-byte tag, minimal length, fields in ascending order,
 * none repeated or unknown or a default, its attributes one run — is the canonical encoding of
 * what it decodes to becomes a sourced record, which the encoder copies whole if it is unchanged.
 */

/**
 * Whether the field whose tag starts at `fieldStart` has a one-byte tag and a minimal length
 * prefix (r.pos is just past it, at the body). An empty body has the one length byte 0.
 */
function isCanonicalFieldStart(buf: Uint8Array, fieldStart: number, bodyStart: number): boolean {
  if (buf[fieldStart] >= 0x80) return false;
  return bodyStart === fieldStart + 2 || (bodyStart <= fieldStart + 5 && buf[bodyStart - 1] !== 0);
}

/** A `Span.events` field whose tag is at `fieldStart` and body ends at `end`; r.pos is at its body. */
export function decodeSourcedEvent(r: ProtoReader, fieldStart: number, end: number): SpanEvent {
  const buf = r.buf;
  let canonical = isCanonicalFieldStart(buf, fieldStart, r.pos);
  let lastTag = 0;
  let attributesStart = -1;
  let attributesEnd = -1;
  let timeUnixNano = 0n;
  let name = '';
  const attributes = newList<KeyValue>();
  let droppedAttributesCount = 0;
  while (r.pos < end) {
    const at = r.pos;
    const t = r.uint32(end);
    if (t <= lastTag || r.pos !== at + 1) canonical = false;
    lastTag = t;
    switch (t) {
      case EVENT_TIME:
        timeUnixNano = r.fixed64(end);
        if (timeUnixNano === 0n) canonical = false;
        break;
      case EVENT_NAME:
        if (!isSmallCanonicalVarint(buf, r.pos)) canonical = false;
        name = r.string(end);
        break;
      case EVENT_ATTRIBUTES:
        attributesStart = at;
        decodeAttributesWithSources(r, end, attributes, EVENT_ATTRIBUTES);
        attributesEnd = r.pos;
        break;
      case EVENT_DROPPED:
        if (!isSmallCanonicalVarint(buf, r.pos)) canonical = false;
        droppedAttributesCount = r.uint32(end);
        break;
      default:
        canonical = false;
        checkUnknown(r, t, end, 'Span.Event', 4);
    }
  }
  if (canonical && r.verbatim)
    return new SourcedSpanEventRecord(
      timeUnixNano,
      name,
      attributes,
      droppedAttributesCount,
      fieldStart,
      end,
      attributesStart,
      attributesEnd,
    );
  return new SpanEventRecord(timeUnixNano, name, attributes, droppedAttributesCount);
}

/** A `Span.links` field, as decodeSourcedEvent. */
export function decodeSourcedLink(r: ProtoReader, fieldStart: number, end: number): SpanLink {
  const buf = r.buf;
  let canonical = isCanonicalFieldStart(buf, fieldStart, r.pos);
  let lastTag = 0;
  let attributesStart = -1;
  let attributesEnd = -1;
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes = newList<KeyValue>();
  let droppedAttributesCount = 0;
  let flags = 0;
  while (r.pos < end) {
    const at = r.pos;
    const t = r.uint32(end);
    if (t <= lastTag || r.pos !== at + 1) canonical = false;
    lastTag = t;
    switch (t) {
      case LINK_TRACE_ID:
        if (!isSmallCanonicalVarint(buf, r.pos)) canonical = false;
        traceId = r.repeatedHex(end);
        break;
      case LINK_SPAN_ID:
        if (!isSmallCanonicalVarint(buf, r.pos)) canonical = false;
        spanId = r.hex(end);
        break;
      case LINK_TRACE_STATE:
        if (!isSmallCanonicalVarint(buf, r.pos)) canonical = false;
        traceState = r.string(end);
        break;
      case LINK_ATTRIBUTES:
        attributesStart = at;
        decodeAttributesWithSources(r, end, attributes, LINK_ATTRIBUTES);
        attributesEnd = r.pos;
        break;
      case LINK_DROPPED:
        if (!isSmallCanonicalVarint(buf, r.pos)) canonical = false;
        droppedAttributesCount = r.uint32(end);
        break;
      case LINK_FLAGS:
        flags = r.fixed32(end);
        if (flags === 0) canonical = false;
        break;
      default:
        canonical = false;
        checkUnknown(r, t, end, 'Span.Link', 6);
    }
  }
  if (canonical && r.verbatim)
    return new SourcedSpanLinkRecord(
      traceId,
      spanId,
      traceState,
      attributes,
      droppedAttributesCount,
      flags,
      fieldStart,
      end,
      attributesStart,
      attributesEnd,
    );
  return new SpanLinkRecord(traceId, spanId, traceState, attributes, droppedAttributesCount, flags);
}
