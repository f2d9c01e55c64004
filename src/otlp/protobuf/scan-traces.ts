import { checkUnknown } from './decode-any-value.js';
import { DecodeCaches, ProtoReader } from './proto-reader.js';
import { fixed64PastStorable } from '../../model/storable-times.js';
import { scanAttributes } from './scan-any-value.js';
import { lengthEnd, skipFixed, skipString } from './scan-reader.js';
import {
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

/**
 * What a scan found, short of malformed bytes (those throw ProtobufDecodeError):
 * - `ok`: the request is well-formed, verbatim (see ProtoReader.verbatim) and every span has ids
 *   the store accepts — the bytes may travel on undecoded (model/request-bytes.ts);
 * - `has-invalid-spans`: verbatim, but removeInvalidSpans would drop some span;
 * - `not-verbatim`: the decoder would skip or replace something.
 * In the last two cases the receiver decodes, as without the scan.
 */
export type TraceScanVerdict = 'ok' | 'has-invalid-spans' | 'not-verbatim';

export interface TraceScan {
  readonly verdict: TraceScanVerdict;
  /** Spans in the request, the invalid ones included. */
  readonly spans: number;
}

/*
 * An ExportTraceServiceRequest walked as decode-traces.ts decodes it — every level, the same
 * reads in the same order, hence the same well-formedness checks and error messages and the same
 * verbatim rule — while building nothing: the only allocations are the reader and the result.
 * This is for pipelines that only move bytes (batch → otlp), which need a request validated and
 * its spans counted, not read. Span ids are checked as removeInvalidSpans checks the hex the
 * decoder makes (model/ids.ts): trace id 16 bytes, span id 8, parent absent or 8, none all zeros.
 * scan-traces.test.ts holds it to the decoder over a corpus of valid and mutated requests.
 */

const TRACE_ID_BYTES = 16;
const SPAN_ID_BYTES = 8;

/**
 * Scans an ExportTraceServiceRequest: throws ProtobufDecodeError exactly where
 * decodeExportTraceServiceRequest would, else says what decoding it would find. `caches` only
 * satisfy ProtoReader (the scan makes no strings); pass the receiver's to avoid making new ones.
 */
export function scanExportTraceServiceRequest(bytes: Buffer, caches?: DecodeCaches): TraceScan {
  const scanner = new TraceScanner(new ProtoReader(bytes, caches ?? sharedCaches()));
  scanner.scanRequest();
  const { r, spans, invalidSpans } = scanner;
  const verdict = !r.verbatim ? 'not-verbatim' : invalidSpans > 0 ? 'has-invalid-spans' : 'ok';
  return { verdict, spans };
}

/** Skips a fixed64 time and says whether it is past what the store keeps (storable-times.ts). */
function fixed64TimePastStorable(r: ProtoReader, end: number): boolean {
  skipFixed(r, 8, end);
  return fixed64PastStorable(r.buf.readUInt32LE(r.pos - 8), r.buf.readUInt32LE(r.pos - 4));
}

let idleCaches: DecodeCaches | undefined;
/** Made once, on first use: ProtoReader wants caches, and the scan never reads from them. */
function sharedCaches(): DecodeCaches {
  return (idleCaches ??= new DecodeCaches());
}

class TraceScanner {
  spans = 0;
  invalidSpans = 0;

  constructor(readonly r: ProtoReader) {}

  scanRequest(): void {
    const r = this.r;
    const end = r.buf.length;
    while (r.pos < end) {
      const t = r.uint32(end);
      if (t === REQ_RESOURCE_SPANS) this.scanResourceSpans(lengthEnd(r, end));
      else checkUnknown(r, t, end, 'ExportTraceServiceRequest', 1);
    }
  }

  private scanResourceSpans(end: number): void {
    const r = this.r;
    let resourceSeen = false;
    while (r.pos < end) {
      const t = r.uint32(end);
      switch (t) {
        case RS_RESOURCE:
          if (resourceSeen) r.verbatim = false; // protobuf would merge the two
          resourceSeen = true;
          this.scanResource(lengthEnd(r, end));
          break;
        case RS_SCOPE_SPANS:
          this.scanScopeSpans(lengthEnd(r, end));
          break;
        case RS_SCHEMA_URL:
          skipString(r, end);
          break;
        default:
          checkUnknown(r, t, end, 'ResourceSpans', 3);
      }
    }
  }

  private scanResource(end: number): void {
    const r = this.r;
    while (r.pos < end) {
      const t = r.uint32(end);
      if (t === RES_ATTRIBUTES) scanAttributes(r, end, RES_ATTRIBUTES);
      else if (t === RES_DROPPED) r.uint32(end);
      else checkUnknown(r, t, end, 'Resource', 2);
    }
  }

  private scanScopeSpans(end: number): void {
    const r = this.r;
    let scopeSeen = false;
    while (r.pos < end) {
      const t = r.uint32(end);
      switch (t) {
        case SS_SPANS:
          this.scanSpan(lengthEnd(r, end));
          break;
        case SS_SCOPE:
          if (scopeSeen) r.verbatim = false;
          scopeSeen = true;
          this.scanScope(lengthEnd(r, end));
          break;
        case SS_SCHEMA_URL:
          skipString(r, end);
          break;
        default:
          checkUnknown(r, t, end, 'ScopeSpans', 3);
      }
    }
  }

  private scanScope(end: number): void {
    const r = this.r;
    while (r.pos < end) {
      const t = r.uint32(end);
      switch (t) {
        case SCOPE_NAME:
        case SCOPE_VERSION:
          skipString(r, end);
          break;
        case SCOPE_ATTRIBUTES:
          scanAttributes(r, end, SCOPE_ATTRIBUTES);
          break;
        case SCOPE_DROPPED:
          r.uint32(end);
          break;
        default:
          checkUnknown(r, t, end, 'InstrumentationScope', 4);
      }
    }
  }

  private scanSpan(end: number): void {
    const r = this.r;
    // Where the last occurrence of each id starts and ends (a repeated scalar: the last one wins).
    let traceId = 0;
    let traceIdEnd = 0;
    let spanId = 0;
    let spanIdEnd = 0;
    let parentId = 0;
    let parentIdEnd = 0;
    let statusSeen = false;
    // A start, end or event time past what the store keeps (storable-times.ts) makes the span
    // invalid (removeInvalidSpans). Each holds the last occurrence's verdict, as the decoder keeps it.
    let startPastLimit = false;
    let endPastLimit = false;
    let eventPastLimit = false;
    while (r.pos < end) {
      const t = r.uint32(end);
      switch (t) {
        case SPAN_ATTRIBUTES:
          scanAttributes(r, end, SPAN_ATTRIBUTES);
          break;
        case SPAN_TRACE_ID:
          traceIdEnd = lengthEnd(r, end);
          traceId = r.pos;
          r.pos = traceIdEnd;
          break;
        case SPAN_SPAN_ID:
          spanIdEnd = lengthEnd(r, end);
          spanId = r.pos;
          r.pos = spanIdEnd;
          break;
        case SPAN_PARENT_SPAN_ID:
          parentIdEnd = lengthEnd(r, end);
          parentId = r.pos;
          r.pos = parentIdEnd;
          break;
        case SPAN_NAME:
        case SPAN_TRACE_STATE:
          skipString(r, end);
          break;
        case SPAN_KIND:
        case SPAN_DROPPED_ATTRIBUTES:
        case SPAN_DROPPED_EVENTS:
        case SPAN_DROPPED_LINKS:
          r.uint32(end);
          break;
        case SPAN_START:
          startPastLimit = fixed64TimePastStorable(r, end);
          break;
        case SPAN_END:
          endPastLimit = fixed64TimePastStorable(r, end);
          break;
        case SPAN_EVENTS:
          if (this.scanEvent(lengthEnd(r, end))) eventPastLimit = true;
          break;
        case SPAN_LINKS:
          this.scanLink(lengthEnd(r, end));
          break;
        case SPAN_STATUS:
          if (statusSeen) r.verbatim = false;
          statusSeen = true;
          this.scanStatus(lengthEnd(r, end));
          break;
        case SPAN_FLAGS:
          skipFixed(r, 4, end);
          break;
        default:
          checkUnknown(r, t, end, 'Span', 16);
      }
    }
    this.spans++;
    const view = r.view;
    if (
      startPastLimit ||
      endPastLimit ||
      eventPastLimit ||
      traceIdEnd - traceId !== TRACE_ID_BYTES ||
      (bits8(view, traceId) | bits8(view, traceId + 8)) === 0 ||
      spanIdEnd - spanId !== SPAN_ID_BYTES ||
      bits8(view, spanId) === 0 ||
      (parentIdEnd !== parentId && parentIdEnd - parentId !== SPAN_ID_BYTES)
    )
      this.invalidSpans++;
    // An all-zero parent is read as no parent: the decoder changes it, so the bytes are not verbatim.
    if (parentIdEnd - parentId === SPAN_ID_BYTES && bits8(view, parentId) === 0) r.verbatim = false;
  }

  /** True when the event's time is past DateTime64(9) (see scanSpan). */
  private scanEvent(end: number): boolean {
    const r = this.r;
    let timePastLimit = false;
    while (r.pos < end) {
      const t = r.uint32(end);
      switch (t) {
        case EVENT_TIME:
          timePastLimit = fixed64TimePastStorable(r, end);
          break;
        case EVENT_NAME:
          skipString(r, end);
          break;
        case EVENT_ATTRIBUTES:
          scanAttributes(r, end, EVENT_ATTRIBUTES);
          break;
        case EVENT_DROPPED:
          r.uint32(end);
          break;
        default:
          checkUnknown(r, t, end, 'Span.Event', 4);
      }
    }
    return timePastLimit;
  }

  private scanLink(end: number): void {
    const r = this.r;
    while (r.pos < end) {
      const t = r.uint32(end);
      switch (t) {
        case LINK_TRACE_ID:
        case LINK_SPAN_ID:
          // Kept as hex whatever their length: removeInvalidSpans does not look at links.
          r.pos = lengthEnd(r, end);
          break;
        case LINK_TRACE_STATE:
          skipString(r, end);
          break;
        case LINK_ATTRIBUTES:
          scanAttributes(r, end, LINK_ATTRIBUTES);
          break;
        case LINK_DROPPED:
          r.uint32(end);
          break;
        case LINK_FLAGS:
          skipFixed(r, 4, end);
          break;
        default:
          checkUnknown(r, t, end, 'Span.Link', 6);
      }
    }
  }

  private scanStatus(end: number): void {
    const r = this.r;
    while (r.pos < end) {
      const t = r.uint32(end);
      switch (t) {
        case STATUS_CODE:
          r.uint32(end);
          break;
        case STATUS_MESSAGE:
          skipString(r, end);
          break;
        case STATUS_DEPRECATED_CODE:
          r.uint32(end);
          r.verbatim = false; // the decoder drops it (see decodeStatus)
          break;
        default:
          checkUnknown(r, t, end, 'Status', 3);
      }
    }
  }
}

/** The eight bytes at `at`, OR-ed into one word: zero exactly when they all are (an all-zero id). */
function bits8(view: DataView, at: number): number {
  return view.getInt32(at, true) | view.getInt32(at + 4, true);
}
