import type { KeyValue } from '../../model/attributes.js';
import { decodeKeyValue } from './decode-any-value.js';
import { decodeStatus } from './decode-traces.js';
import type { DecodeCaches } from './proto-reader.js';
import { ProtoReader } from './proto-reader.js';
import {
  KV_KEY,
  REQ_RESOURCE_SPANS,
  RES_ATTRIBUTES,
  RS_RESOURCE,
  RS_SCOPE_SPANS,
  SPAN_END,
  SPAN_KIND,
  SPAN_NAME,
  SPAN_PARENT_SPAN_ID,
  SPAN_SPAN_ID,
  SPAN_START,
  SPAN_STATUS,
  SS_SPANS,
} from './trace-field-tags.js';

/** What a trace view's first frame draws of a span (store/reader/trace-outline.ts). */
export interface SpanOutline {
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startTimeUnixNano: bigint;
  endTimeUnixNano: bigint;
  statusCode: number;
  /** The resource's `service.name` when it is a string (the last one, as findAttribute), else ''. */
  service: string;
}

const SERVICE_NAME = 'service.name';

/**
 * Reads only the outline of an `ExportTraceServiceRequest` holding one span (a layout-3 row of
 * the trace-id-ordered copy): every other field, and every resource attribute but
 * `service.name`, is skipped, not decoded — a 100,000-span trace's first frame decoded whole took
 * ~3.5 times as long. With more than one span, the last one's fields win. Throws
 * ProtobufDecodeError on malformed bytes.
 */
export function decodeSpanOutline(bytes: Buffer, caches?: DecodeCaches): SpanOutline {
  const r = new ProtoReader(bytes, caches);
  const out: SpanOutline = {
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    statusCode: 0,
    service: '',
  };
  const end = bytes.length;
  while (r.pos < end) {
    const t = r.uint32(end);
    if (t === REQ_RESOURCE_SPANS) readResourceSpans(r, r.lengthEnd(end), out);
    else r.skip(t & 7, end, t >>> 3);
  }
  return out;
}

function readResourceSpans(r: ProtoReader, end: number, out: SpanOutline): void {
  while (r.pos < end) {
    const t = r.uint32(end);
    if (t === RS_RESOURCE) readService(r, r.lengthEnd(end), out);
    else if (t === RS_SCOPE_SPANS) readScopeSpans(r, r.lengthEnd(end), out);
    else r.skip(t & 7, end, t >>> 3);
  }
}

/** The resource's attributes: only one keyed `service.name` is decoded. */
function readService(r: ProtoReader, end: number, out: SpanOutline): void {
  const kv: KeyValue[] = [];
  while (r.pos < end) {
    const t = r.uint32(end);
    if (t !== RES_ATTRIBUTES) {
      r.skip(t & 7, end, t >>> 3);
      continue;
    }
    const kvEnd = r.lengthEnd(end);
    const kvStart = r.pos;
    // The key comes first in every encoder we know; a KeyValue written otherwise is decoded whole.
    if (r.pos < kvEnd && r.uint32(kvEnd) === KV_KEY && r.string(kvEnd) !== SERVICE_NAME) {
      r.pos = kvEnd;
      continue;
    }
    r.pos = kvStart;
    decodeKeyValue(r, kvEnd, kv);
    const last = kv.pop();
    if (last?.key === SERVICE_NAME) out.service = typeof last.value === 'string' ? last.value : '';
    r.pos = kvEnd;
  }
}

function readScopeSpans(r: ProtoReader, end: number, out: SpanOutline): void {
  while (r.pos < end) {
    const t = r.uint32(end);
    if (t === SS_SPANS) readSpan(r, r.lengthEnd(end), out);
    else r.skip(t & 7, end, t >>> 3);
  }
}

function readSpan(r: ProtoReader, end: number, out: SpanOutline): void {
  while (r.pos < end) {
    const t = r.uint32(end);
    switch (t) {
      case SPAN_SPAN_ID:
        out.spanId = r.hex(end);
        break;
      case SPAN_PARENT_SPAN_ID:
        out.parentSpanId = r.repeatedHex(end);
        break;
      case SPAN_NAME:
        out.name = r.string(end);
        break;
      case SPAN_KIND:
        out.kind = r.uint32(end);
        break;
      case SPAN_START:
        out.startTimeUnixNano = r.fixed64(end);
        break;
      case SPAN_END:
        out.endTimeUnixNano = r.fixed64(end);
        break;
      case SPAN_STATUS:
        out.statusCode = decodeStatus(r, r.lengthEnd(end)).code;
        break;
      default:
        r.skip(t & 7, end, t >>> 3);
    }
  }
}
