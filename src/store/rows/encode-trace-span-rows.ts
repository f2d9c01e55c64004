import type { TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
import {
  encodeResourceField,
  encodeScopeField,
  writeOneEncodedSpanRequest,
  writeOneSpanRequest,
} from '../../otlp/protobuf/encode-traces.js';
import { SpanFieldCursor } from '../../otlp/protobuf/span-field-cursor.js';
import { ProtoWriter } from '../../otlp/protobuf/proto-writer.js';
import { RowBinaryWriter } from '../rowbinary/rowbinary-writer.js';
import { TRACE_SPANS_LAYOUT_3_MARKER } from '../schema/trace-spans-schema.js';

const traceIds = new RowBinaryWriter();
const timestamps = new RowBinaryWriter();
/** The Span column, reused: it grows to the largest batch's (~640 bytes a span) and stays. */
const spans = new ProtoWriter(64 * 1024);
const head = new RowBinaryWriter(64);
const columnHeaders = (['TraceId String', 'Timestamp DateTime64(9)', 'Span String'] as const).map((def) => {
  const [name, type] = def.split(' ');
  const w = new RowBinaryWriter(64);
  w.string(name);
  w.string(type);
  return w.take();
});

/**
 * Encodes spans as one Native block of `tracehouse_trace_spans` rows in layout 3
 * (trace-spans-schema.ts): TraceId (hex, as `otel_traces` holds it), Timestamp (the span's
 * start) and Span, the layout's marker byte followed by an `ExportTraceServiceRequest` of the one
 * span under its resource and scope. The resource and scope are encoded once for all their spans;
 * the Span column is written by one ProtoWriter, each value's length prefix reserved and filled
 * in like a nested message's (a Native String's length is the same LEB128 varint).
 */
export function encodeTraceSpanRows(data: TracesData): Buffer {
  return Buffer.concat(traceSpanRowsParts(data));
}

/**
 * The block of encodeTraceSpanRows as views into writers this module reuses: valid until its next
 * call, so a caller that keeps them copies them first (the store's log record copies them once).
 */
export function traceSpanRowsParts(data: TracesData): Buffer[] {
  const rows = countSpans(data);
  spans.reset();
  traceIds.reset();
  timestamps.reset();
  // A batch that carries its request's bytes (model/request-bytes.ts) has its spans copied from
  // them rather than encoded again.
  const received = SpanFieldCursor.over(data);
  for (const rs of data) {
    const resourceField = encodeResourceField(rs.resource);
    for (const ss of rs.scopeSpans) {
      const scopeField = encodeScopeField(ss.scope);
      for (const span of ss.spans) {
        traceIds.string(span.traceId);
        timestamps.int64(span.startTimeUnixNano);
        spans.beginLengthPrefixed(2);
        spans.byte(TRACE_SPANS_LAYOUT_3_MARKER);
        if (received === undefined)
          writeOneSpanRequest(spans, resourceField, rs.schemaUrl, scopeField, ss.schemaUrl, span);
        else {
          received.next();
          writeOneEncodedSpanRequest(spans, resourceField, rs.schemaUrl, scopeField, ss.schemaUrl, received);
        }
        spans.endMessage();
      }
    }
  }
  head.reset();
  head.varUInt(3);
  head.varUInt(rows);
  return [
    head.contents(),
    columnHeaders[0],
    traceIds.contents(),
    columnHeaders[1],
    timestamps.contents(),
    columnHeaders[2],
    spans.finish(),
  ];
}
