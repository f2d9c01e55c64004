import type { KeyValue } from '../../model/attributes.js';
import { emptyResource, emptyScope } from '../../model/factories.js';
import type { SpanFields } from '../../model/request-bytes.js';
import type {
  InstrumentationScope,
  Resource,
  ResourceSpans,
  ScopeSpans,
  Span,
  Status,
} from '../../model/span.js';
import { decodeKeyValue } from './decode-any-value.js';
import { decodeResource, decodeScope, decodeStatus } from './decode-traces.js';
import { newList, SpanRecord, StatusRecord } from './model-records.js';
import type { DecodeCaches } from './proto-reader.js';
import { ProtoReader } from './proto-reader.js';
import {
  REQ_RESOURCE_SPANS,
  RS_RESOURCE,
  RS_SCHEMA_URL,
  RS_SCOPE_SPANS,
  SPAN_ATTRIBUTES,
  SPAN_END,
  SPAN_START,
  SPAN_STATUS,
  SPAN_TRACE_ID,
  SS_SCHEMA_URL,
  SS_SCOPE,
  SS_SPANS,
} from './trace-field-tags.js';

/** What decodeSpanSummaries makes of a request. */
export interface SpanSummaries {
  /** Resources and scopes whole; spans as summaries (see decodeSpanSummaries). */
  data: ResourceSpans[];
  /** Where each span lies in the bytes (model/request-bytes.ts, SpanFields). */
  spanFields: SpanFields;
}

/**
 * What a tail sampler reads of a request it holds as bytes (processors/tail_sampling): every
 * resource and scope whole, and of each span only its trace id, start and end times, status and
 * the attributes whose keys are in `keys`, with where the span lies. Every other field of a span
 * is skipped, not decoded: those summaries are Spans with the other fields empty, which stand for
 * the bytes (the bytes say the whole span) and must never be handed on as spans.
 *
 * For bytes that were scanned (otlp/protobuf/scan-traces.ts) or encoded by us: it checks bounds
 * and throws ProtobufDecodeError on malformed bytes, but does not check what the scan checked
 * (UTF-8, ids, unknown fields). Schema URLs are read: a held span goes on under its resource and
 * scope with the schema URLs they came with.
 */
export function decodeSpanSummaries(
  bytes: Buffer,
  keys: ReadonlySet<string>,
  caches?: DecodeCaches,
): SpanSummaries {
  const r = new ProtoReader(bytes, caches);
  const spanFields: number[] = [];
  const data = newList<ResourceSpans>();
  const end = bytes.length;
  while (r.pos < end) {
    const t = r.uint32(end);
    if (t === REQ_RESOURCE_SPANS) data.push(readResourceSpans(r, r.lengthEnd(end), keys, spanFields));
    else r.skip(t & 7, end, t >>> 3);
  }
  return { data, spanFields };
}

function readResourceSpans(
  r: ProtoReader,
  end: number,
  keys: ReadonlySet<string>,
  spanFields: number[],
): ResourceSpans {
  let resource: Resource | undefined;
  const scopeSpans = newList<ScopeSpans>();
  let schemaUrl = '';
  while (r.pos < end) {
    const t = r.uint32(end);
    if (t === RS_RESOURCE) resource = decodeResource(r, r.lengthEnd(end));
    else if (t === RS_SCOPE_SPANS) scopeSpans.push(readScopeSpans(r, r.lengthEnd(end), keys, spanFields));
    else if (t === RS_SCHEMA_URL) schemaUrl = r.string(end);
    else r.skip(t & 7, end, t >>> 3);
  }
  return { resource: resource ?? emptyResource(), scopeSpans, schemaUrl };
}

function readScopeSpans(
  r: ProtoReader,
  end: number,
  keys: ReadonlySet<string>,
  spanFields: number[],
): ScopeSpans {
  let scope: InstrumentationScope | undefined;
  const spans = newList<Span>();
  let schemaUrl = '';
  while (r.pos < end) {
    const fieldStart = r.pos;
    const t = r.uint32(end);
    if (t === SS_SPANS) {
      const spanEnd = r.lengthEnd(end);
      spans.push(readSpanSummary(r, spanEnd, keys));
      spanFields.push(fieldStart, spanEnd);
    } else if (t === SS_SCOPE) scope = decodeScope(r, r.lengthEnd(end));
    else if (t === SS_SCHEMA_URL) schemaUrl = r.string(end);
    else r.skip(t & 7, end, t >>> 3);
  }
  return { scope: scope ?? emptyScope(), spans, schemaUrl };
}

function readSpanSummary(r: ProtoReader, end: number, keys: ReadonlySet<string>): Span {
  let traceId = '';
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  let status: Status | undefined;
  const attributes = newList<KeyValue>();
  while (r.pos < end) {
    const t = r.uint32(end);
    switch (t) {
      case SPAN_TRACE_ID:
        traceId = r.repeatedHex(end);
        break;
      case SPAN_START:
        startTimeUnixNano = r.fixed64(end);
        break;
      case SPAN_END:
        endTimeUnixNano = r.fixed64(end);
        break;
      case SPAN_STATUS:
        status = decodeStatus(r, r.lengthEnd(end));
        break;
      case SPAN_ATTRIBUTES: {
        const kvEnd = r.lengthEnd(end);
        if (keys.size > 0) readPolicyAttribute(r, kvEnd, keys, attributes);
        r.pos = kvEnd;
        break;
      }
      default:
        r.skip(t & 7, end, t >>> 3);
    }
  }
  return new SpanRecord(
    traceId,
    '',
    '',
    '',
    0,
    '',
    0,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    0,
    newList(),
    0,
    newList(),
    0,
    status ?? new StatusRecord(0, ''),
  );
}

/** Decodes the KeyValue ending at `end` into `out` if its key is one of `keys`. */
function readPolicyAttribute(r: ProtoReader, end: number, keys: ReadonlySet<string>, out: KeyValue[]): void {
  decodeKeyValue(r, end, out);
  if (!keys.has(out[out.length - 1].key)) out.pop();
}
