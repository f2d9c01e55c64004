import type { KeyValue } from '../../model/attributes.js';
import { emptyResource, emptyScope } from '../../model/factories.js';
import type {
  InstrumentationScope,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  SpanEvent,
  SpanKind,
  SpanLink,
  Status,
  TracesData,
} from '../../model/span.js';
import { checkUnknown } from './decode-any-value.js';
import { decodeSourcedEvent, decodeSourcedLink } from './decode-sourced-events.js';
import { decodeAttributesWithSources } from './decode-sourced-attributes.js';
import { decodeResource, decodeScope, decodeStatus } from './decode-traces.js';
import { newList, SpanRecord, StatusRecord } from './model-records.js';
import type { DecodeCaches } from './proto-reader.js';
import { ProtoReader } from './proto-reader.js';
import { SourcedSpanRecord } from './sourced-span-records.js';
import {
  REQ_RESOURCE_SPANS,
  RS_RESOURCE,
  RS_SCHEMA_URL,
  RS_SCOPE_SPANS,
  SPAN_ATTRIBUTES,
  SPAN_DROPPED_ATTRIBUTES,
  SPAN_DROPPED_EVENTS,
  SPAN_DROPPED_LINKS,
  SPAN_END,
  SPAN_EVENTS,
  SPAN_FLAGS,
  SPAN_KIND,
  SPAN_LINKS,
  SPAN_NAME,
  SPAN_PARENT_SPAN_ID,
  SPAN_SPAN_ID,
  SPAN_START,
  SPAN_STATUS,
  SPAN_TRACE_ID,
  SPAN_TRACE_STATE,
  SS_SCHEMA_URL,
  SS_SCOPE,
  SS_SPANS,
} from './trace-field-tags.js';

/*
 * The decoder of decode-traces.ts for a processor worker: spans, events and links come with where
 * their bytes lie in the request and what those decoded to (sourced-span-records.ts), attributes
 * as SourcedKeyValues (decode-sourced-attributes.ts), so that encodeExportTraceServiceRequestFromSource
 * copies what the processors left unchanged. A separate copy of the span loop rather than branches
 * in decodeSpan: the main thread decodes every request with that one, and a branch or a larger
 * body there costs it inlining (see ProtoReader).
 */

/**
 * Decodes like `decodeExportTraceServiceRequest`, keeping sources (above): a processor worker
 * decodes, processes and encodes every request.
 */
export function decodeExportTraceServiceRequestWithSources(
  bytes: Uint8Array,
  caches?: DecodeCaches,
): TracesData {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new ProtoReader(buf, caches);
  // Resource and scope attributes go through decode-traces.ts, which reads this.
  r.keepSources = true;
  const end = buf.length;
  const out = newList<ResourceSpans>();
  while (r.pos < end) {
    const t = r.uint32(end);
    if (t === REQ_RESOURCE_SPANS) out.push(decodeResourceSpans(r, r.lengthEnd(end)));
    else checkUnknown(r, t, end, 'ExportTraceServiceRequest', 1);
  }
  return out;
}

function decodeResourceSpans(r: ProtoReader, end: number): ResourceSpans {
  let resource: Resource | undefined;
  const scopeSpans = newList<ScopeSpans>();
  let schemaUrl = '';
  while (r.pos < end) {
    const t = r.uint32(end);
    switch (t) {
      case RS_RESOURCE:
        if (resource) r.verbatim = false;
        resource = decodeResource(r, r.lengthEnd(end));
        break;
      case RS_SCOPE_SPANS:
        scopeSpans.push(decodeScopeSpans(r, r.lengthEnd(end)));
        break;
      case RS_SCHEMA_URL:
        schemaUrl = r.string(end);
        break;
      default:
        checkUnknown(r, t, end, 'ResourceSpans', 3);
    }
  }
  return { resource: resource ?? emptyResource(), scopeSpans, schemaUrl };
}

function decodeScopeSpans(r: ProtoReader, end: number): ScopeSpans {
  let scope: InstrumentationScope | undefined;
  const spans = newList<Span>();
  let schemaUrl = '';
  while (r.pos < end) {
    const t = r.uint32(end);
    switch (t) {
      case SS_SPANS:
        spans.push(decodeSourcedSpan(r, r.lengthEnd(end)));
        break;
      case SS_SCOPE:
        if (scope) r.verbatim = false;
        scope = decodeScope(r, r.lengthEnd(end));
        break;
      case SS_SCHEMA_URL:
        schemaUrl = r.string(end);
        break;
      default:
        checkUnknown(r, t, end, 'ScopeSpans', 3);
    }
  }
  return { scope: scope ?? emptyScope(), spans, schemaUrl };
}

/**
 * decodeSpan of decode-traces.ts, also telling where fields 1–8 (the head: ids, trace state,
 * name, kind, times) lie if they all come first, no later field before or among them, nothing
 * unknown and every string valid UTF-8: the span is then a SourcedSpanRecord. Whether those bytes
 * are canonical (what a fresh encode writes) is checked by the encoder, only for heads no processor
 * changed (isCanonicalSpanHead): here, a check per field or even one call per span used up the
 * loop's inlining budget, and V8 stopped inlining the id readers (`--trace-turbo-inlining`).
 */
function decodeSourcedSpan(r: ProtoReader, end: number): Span {
  const bodyStart = r.pos;
  let headEnd = -1;
  let headCopyable = true;
  let traceId = '';
  let spanId = '';
  let traceState = '';
  let parentSpanId = '';
  let flags = 0;
  let name = '';
  let kind = 0;
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  const attributes = newList<KeyValue>();
  let droppedAttributesCount = 0;
  const events = newList<SpanEvent>();
  let droppedEventsCount = 0;
  const links = newList<SpanLink>();
  let droppedLinksCount = 0;
  let status: Status | undefined;
  while (r.pos < end) {
    const fieldStart = r.pos;
    const t = r.uint32(end);
    // The head must come first; its layout is checked by the encoder, if it is to be copied.
    if (t > SPAN_END) {
      if (headEnd < 0) headEnd = fieldStart;
    } else if (headEnd >= 0) headCopyable = false;
    switch (t) {
      case SPAN_ATTRIBUTES:
        decodeAttributesWithSources(r, end, attributes, SPAN_ATTRIBUTES);
        break;
      case SPAN_TRACE_ID:
        traceId = r.repeatedHex(end);
        break;
      case SPAN_SPAN_ID:
        spanId = r.hex(end);
        break;
      case SPAN_PARENT_SPAN_ID:
        parentSpanId = r.repeatedHex(end);
        break;
      case SPAN_NAME:
        name = r.string(end);
        break;
      case SPAN_KIND:
        kind = r.uint32(end);
        break;
      case SPAN_START:
        startTimeUnixNano = r.fixed64(end);
        break;
      case SPAN_END:
        endTimeUnixNano = r.fixed64(end);
        break;
      case SPAN_EVENTS:
        events.push(decodeSourcedEvent(r, fieldStart, r.lengthEnd(end)));
        break;
      case SPAN_LINKS:
        links.push(decodeSourcedLink(r, fieldStart, r.lengthEnd(end)));
        break;
      case SPAN_STATUS:
        if (status) r.verbatim = false;
        status = decodeStatus(r, r.lengthEnd(end));
        break;
      case SPAN_TRACE_STATE:
        traceState = r.string(end);
        break;
      case SPAN_FLAGS:
        flags = r.fixed32(end);
        break;
      case SPAN_DROPPED_ATTRIBUTES:
        droppedAttributesCount = r.uint32(end);
        break;
      case SPAN_DROPPED_EVENTS:
        droppedEventsCount = r.uint32(end);
        break;
      case SPAN_DROPPED_LINKS:
        droppedLinksCount = r.uint32(end);
        break;
      default:
        headCopyable = false;
        checkUnknown(r, t, end, 'Span', 16);
    }
  }
  // Unknown future enum values are kept as numbers, as proto3 open enums require.
  const spanKind = kind as SpanKind;
  const spanStatus = status ?? new StatusRecord(0, '');
  if (headEnd < 0) headEnd = end;
  // `verbatim` still true: no string so far was invalid UTF-8 read as U+FFFD.
  if (headCopyable && r.verbatim)
    return new SourcedSpanRecord(
      traceId,
      spanId,
      traceState,
      parentSpanId,
      flags,
      name,
      spanKind,
      startTimeUnixNano,
      endTimeUnixNano,
      attributes,
      droppedAttributesCount,
      events,
      droppedEventsCount,
      links,
      droppedLinksCount,
      spanStatus,
      bodyStart,
      headEnd,
    );
  return new SpanRecord(
    traceId,
    spanId,
    traceState,
    parentSpanId,
    flags,
    name,
    spanKind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    droppedAttributesCount,
    events,
    droppedEventsCount,
    links,
    droppedLinksCount,
    spanStatus,
  );
}
