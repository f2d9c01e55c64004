import type { KeyValue } from '../../model/attributes.js';
import { emptyResource, emptyScope } from '../../model/factories.js';
import { ALL_ZERO_SPAN_ID } from '../../model/ids.js';
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
  StatusCode,
  TracesData,
} from '../../model/span.js';
import { checkUnknown, decodeKeyValue } from './decode-any-value.js';
import { decodeAttributesWithSources } from './decode-sourced-attributes.js';
import {
  KeyValueRecord,
  newList,
  SpanEventRecord,
  SpanLinkRecord,
  SpanRecord,
  StatusRecord,
} from './model-records.js';
import type { SpanFields } from '../../model/request-bytes.js';
import type { DecodeCaches } from './proto-reader.js';
import { ProtoReader } from './proto-reader.js';
import {
  AV_BOOL,
  AV_INT,
  AV_STRING,
  KV_KEY,
  KV_VALUE,
  REQ_RESOURCE_SPANS,
  RS_RESOURCE,
  RS_SCOPE_SPANS,
  RS_SCHEMA_URL,
  RES_ATTRIBUTES,
  RES_DROPPED,
  SS_SCOPE,
  SS_SPANS,
  SS_SCHEMA_URL,
  SCOPE_NAME,
  SCOPE_VERSION,
  SCOPE_ATTRIBUTES,
  SCOPE_DROPPED,
  SPAN_TRACE_ID,
  SPAN_SPAN_ID,
  SPAN_TRACE_STATE,
  SPAN_PARENT_SPAN_ID,
  SPAN_NAME,
  SPAN_KIND,
  SPAN_START,
  SPAN_END,
  SPAN_ATTRIBUTES,
  SPAN_DROPPED_ATTRIBUTES,
  SPAN_EVENTS,
  SPAN_DROPPED_EVENTS,
  SPAN_LINKS,
  SPAN_DROPPED_LINKS,
  SPAN_STATUS,
  SPAN_FLAGS,
  EVENT_TIME,
  EVENT_NAME,
  EVENT_ATTRIBUTES,
  EVENT_DROPPED,
  LINK_TRACE_ID,
  LINK_SPAN_ID,
  LINK_TRACE_STATE,
  LINK_ATTRIBUTES,
  LINK_DROPPED,
  LINK_FLAGS,
  STATUS_DEPRECATED_CODE,
  STATUS_MESSAGE,
  STATUS_CODE,
} from './trace-field-tags.js';

/*
 * Hand-written decoder for `opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest`
 * (opentelemetry-proto, trace/v1/trace.proto), straight into the model. Tags are matched whole,
 * (field << 3) | wire type, so the common case is a single switch jump per field.
 */

/**
 * Decodes an ExportTraceServiceRequest. Throws `ProtobufDecodeError` on malformed bytes.
 * Pass long-lived `DecodeCaches` to reuse interned strings and ids across requests.
 */
export function decodeExportTraceServiceRequest(bytes: Uint8Array, caches?: DecodeCaches): TracesData {
  return decodeRequest(readerFor(bytes, caches), undefined);
}

/** What decodeExportTraceServiceRequestVerbatim makes of a request. */
export interface VerbatimDecode {
  data: TracesData;
  /** Whether the model says everything the bytes say (see ProtoReader.verbatim). */
  verbatim: boolean;
  /** Where each span of `data` lies in the bytes (model/request-bytes.ts, SpanFields). */
  spanFields: SpanFields;
}

/**
 * Decodes like `decodeExportTraceServiceRequest`, and tells whether the model says everything
 * the bytes say (`verbatim`, see ProtoReader): only then may the bytes stand in for it, and
 * where each span lies in them, to be attached with them (receivers/shared/deliver-traces.ts).
 * Locating spans costs two array pushes a span, so only this variant does it.
 */
export function decodeExportTraceServiceRequestVerbatim(
  bytes: Uint8Array,
  caches?: DecodeCaches,
): VerbatimDecode {
  const r = readerFor(bytes, caches);
  const spanFields: number[] = [];
  const data = decodeRequest(r, spanFields);
  return { data, verbatim: r.verbatim, spanFields };
}

function readerFor(bytes: Uint8Array, caches: DecodeCaches | undefined): ProtoReader {
  const buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return new ProtoReader(buf, caches);
}

/** `spanFields`: where to record each span's field, `[start, end)` pairs; undefined: nowhere. */
function decodeRequest(r: ProtoReader, spanFields: number[] | undefined): TracesData {
  const end = r.buf.length;
  const out = newList<ResourceSpans>();
  while (r.pos < end) {
    const t = r.uint32(end);
    if (t === REQ_RESOURCE_SPANS) out.push(decodeResourceSpans(r, r.lengthEnd(end), spanFields));
    else checkUnknown(r, t, end, 'ExportTraceServiceRequest', 1);
  }
  return out;
}

function decodeResourceSpans(r: ProtoReader, end: number, spanFields: number[] | undefined): ResourceSpans {
  let resource: Resource | undefined;
  const scopeSpans = newList<ScopeSpans>();
  let schemaUrl = '';
  while (r.pos < end) {
    const t = r.uint32(end);
    switch (t) {
      case RS_RESOURCE:
        if (resource) r.verbatim = false; // protobuf would merge the two
        resource = decodeResource(r, r.lengthEnd(end));
        break;
      case RS_SCOPE_SPANS:
        scopeSpans.push(decodeScopeSpans(r, r.lengthEnd(end), spanFields));
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

export function decodeResource(r: ProtoReader, end: number): Resource {
  const attributes = newList<KeyValue>();
  let droppedAttributesCount = 0;
  while (r.pos < end) {
    const t = r.uint32(end);
    if (t === RES_ATTRIBUTES) decodeAttributes(r, end, attributes, RES_ATTRIBUTES);
    else if (t === RES_DROPPED) droppedAttributesCount = r.uint32(end);
    else checkUnknown(r, t, end, 'Resource', 2);
  }
  return { attributes, droppedAttributesCount };
}

function decodeScopeSpans(r: ProtoReader, end: number, spanFields: number[] | undefined): ScopeSpans {
  let scope: InstrumentationScope | undefined;
  const spans = newList<Span>();
  let schemaUrl = '';
  while (r.pos < end) {
    const fieldStart = r.pos;
    const t = r.uint32(end);
    switch (t) {
      case SS_SPANS: {
        const spanEnd = r.lengthEnd(end);
        spans.push(decodeSpan(r, spanEnd));
        if (spanFields !== undefined) spanFields.push(fieldStart, spanEnd);
        break;
      }
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

export function decodeScope(r: ProtoReader, end: number): InstrumentationScope {
  let name = '';
  let version = '';
  const attributes = newList<KeyValue>();
  let droppedAttributesCount = 0;
  while (r.pos < end) {
    const t = r.uint32(end);
    switch (t) {
      case SCOPE_NAME:
        name = r.string(end);
        break;
      case SCOPE_VERSION:
        version = r.string(end);
        break;
      case SCOPE_ATTRIBUTES:
        decodeAttributes(r, end, attributes, SCOPE_ATTRIBUTES);
        break;
      case SCOPE_DROPPED:
        droppedAttributesCount = r.uint32(end);
        break;
      default:
        checkUnknown(r, t, end, 'InstrumentationScope', 4);
    }
  }
  return { name, version, attributes, droppedAttributesCount };
}

function decodeSpan(r: ProtoReader, end: number): Span {
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
    const t = r.uint32(end);
    switch (t) {
      case SPAN_ATTRIBUTES:
        decodeAttributes(r, end, attributes, SPAN_ATTRIBUTES);
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
        events.push(decodeEvent(r, r.lengthEnd(end)));
        break;
      case SPAN_LINKS:
        links.push(decodeLink(r, r.lengthEnd(end)));
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
        checkUnknown(r, t, end, 'Span', 16);
    }
  }
  if (parentSpanId === ALL_ZERO_SPAN_ID) {
    // No parent, as the Collector (pdata's SpanID.IsEmpty) and Tempo read it: a root span. Not
    // verbatim: the bytes say otherwise.
    parentSpanId = '';
    r.verbatim = false;
  }
  return new SpanRecord(
    traceId,
    spanId,
    traceState,
    parentSpanId,
    flags,
    name,
    // Unknown future enum values are kept as numbers, as proto3 open enums require.
    kind as SpanKind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    droppedAttributesCount,
    events,
    droppedEventsCount,
    links,
    droppedLinksCount,
    status ?? new StatusRecord(0, ''),
  );
}

function decodeEvent(r: ProtoReader, end: number): SpanEvent {
  let timeUnixNano = 0n;
  let name = '';
  const attributes = newList<KeyValue>();
  let droppedAttributesCount = 0;
  while (r.pos < end) {
    const t = r.uint32(end);
    switch (t) {
      case EVENT_TIME:
        timeUnixNano = r.fixed64(end);
        break;
      case EVENT_NAME:
        name = r.string(end);
        break;
      case EVENT_ATTRIBUTES:
        decodeAttributes(r, end, attributes, EVENT_ATTRIBUTES);
        break;
      case EVENT_DROPPED:
        droppedAttributesCount = r.uint32(end);
        break;
      default:
        checkUnknown(r, t, end, 'Span.Event', 4);
    }
  }
  return new SpanEventRecord(timeUnixNano, name, attributes, droppedAttributesCount);
}

function decodeLink(r: ProtoReader, end: number): SpanLink {
  let traceId = '';
  let spanId = '';
  let traceState = '';
  const attributes = newList<KeyValue>();
  let droppedAttributesCount = 0;
  let flags = 0;
  while (r.pos < end) {
    const t = r.uint32(end);
    switch (t) {
      case LINK_TRACE_ID:
        traceId = r.repeatedHex(end);
        break;
      case LINK_SPAN_ID:
        spanId = r.hex(end);
        break;
      case LINK_TRACE_STATE:
        traceState = r.string(end);
        break;
      case LINK_ATTRIBUTES:
        decodeAttributes(r, end, attributes, LINK_ATTRIBUTES);
        break;
      case LINK_DROPPED:
        droppedAttributesCount = r.uint32(end);
        break;
      case LINK_FLAGS:
        flags = r.fixed32(end);
        break;
      default:
        checkUnknown(r, t, end, 'Span.Link', 6);
    }
  }
  return new SpanLinkRecord(traceId, spanId, traceState, attributes, droppedAttributesCount, flags);
}

export function decodeStatus(r: ProtoReader, end: number): Status {
  let code = 0;
  let message = '';
  while (r.pos < end) {
    const t = r.uint32(end);
    switch (t) {
      case STATUS_CODE:
        code = r.uint32(end);
        break;
      case STATUS_MESSAGE:
        message = r.string(end);
        break;
      case STATUS_DEPRECATED_CODE:
        // Field 1 is the deprecated pre-1.0 code; the current `code` (field 3) supersedes it.
        r.uint32(end);
        r.verbatim = false;
        break;
      default:
        checkUnknown(r, t, end, 'Status', 3);
    }
  }
  return new StatusRecord(code as StatusCode, message);
}

/**
 * Decodes a run of attributes: the one whose tag (`fieldTag`, one byte for every attribute field
 * here) was just read, and each that directly follows it, as encoders write a repeated field's
 * elements. Called once per span rather than once per attribute.
 *
 * Nearly every attribute on the wire is "short key, one string, int or bool value, lengths under
 * 128 bytes"; that shape is read in the loop below with direct byte tests and no calls of its
 * own. Anything else goes through the general KeyValue decoder, which also produces the errors.
 *
 * One function for the loop and the fast path, and not two, for the JIT (see ProtoReader on
 * inlining): its bytecode (510 bytes; `node --print-bytecode --print-bytecode-filter=
 * decodeAttributes`) is over TurboFan's 460-byte limit for inlining a function, so it is never
 * inlined into decodeSpan (where it used up that function's budget) and the readers are inlined
 * into it alone. With the fast path in a function of its own (389 bytes), TurboFan inlined it
 * into the loop and the loop into decodeSpan in some processes and not in others: 0.87–1.31 M
 * spans/s from one process to the next, the slowest with all of it inlined (bench/RESULTS.md).
 */
function decodeAttributes(r: ProtoReader, end: number, out: KeyValue[], fieldTag: number): void {
  if (r.keepSources) {
    decodeAttributesWithSources(r, end, out, fieldTag);
    return;
  }
  const buf = r.buf;
  for (;;) {
    const start = r.pos;
    const kvEnd = start + 1 + buf[start];
    let decoded = false;
    // One-byte lengths (< 0x80), key field first, value field last and filling the KeyValue.
    if (buf[start] < 0x80 && kvEnd <= end && buf[start + 1] === KV_KEY && buf[start + 2] < 0x80) {
      const keyStart = start + 3;
      const keyEnd = keyStart + buf[start + 2];
      const valueEnd = keyEnd + 2 + buf[keyEnd + 1];
      if (keyEnd + 2 < kvEnd && buf[keyEnd] === KV_VALUE && buf[keyEnd + 1] < 0x80 && valueEnd === kvEnd) {
        // One key lookup and one constructor call for all value types: each inlined copy counts
        // against this function's inlining budget (see ProtoReader).
        const valueTag = buf[keyEnd + 2];
        let value: string | bigint | boolean = '';
        if (valueTag === AV_STRING && buf[keyEnd + 3] < 0x80 && keyEnd + 4 + buf[keyEnd + 3] === valueEnd) {
          value = r.stringAt(keyEnd + 4, valueEnd);
          r.pos = valueEnd;
        } else if (valueTag === AV_INT) {
          r.pos = keyEnd + 3;
          value = r.int64(valueEnd);
        } else if (valueTag === AV_BOOL && keyEnd + 4 === valueEnd && buf[keyEnd + 3] <= 1) {
          // Only the canonical 0 and 1: other varints take the general path, as before.
          value = buf[keyEnd + 3] === 1;
          r.pos = valueEnd;
        }
        if (r.pos === valueEnd) {
          out.push(new KeyValueRecord(r.keyAt(keyStart, keyEnd), value));
          decoded = true;
        }
      }
    }
    if (!decoded) decodeAttributeInGeneral(r, start, end, out);
    if (r.pos >= end || buf[r.pos] !== fieldTag) return;
    r.pos++;
  }
}

/** An attribute of another shape than the fast path's (see decodeAttributes), from `start`, its length prefix. */
function decodeAttributeInGeneral(r: ProtoReader, start: number, end: number, out: KeyValue[]): void {
  r.pos = start;
  const stop = r.lengthEnd(end);
  decodeKeyValue(r, stop, out);
  r.pos = stop;
}
