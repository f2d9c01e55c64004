import type { ResourceSpans } from '../../model/span.js';
import type { SpanOutline } from '../../otlp/protobuf/decode-span-outline.js';
import { decodeSpanOutline } from '../../otlp/protobuf/decode-span-outline.js';
import { decodeExportTraceServiceRequest } from '../../otlp/protobuf/decode-traces.js';
import { DecodeCaches } from '../../otlp/protobuf/proto-reader.js';
import { TRACE_SPANS_LAYOUT_3_MARKER } from '../schema/trace-spans-schema.js';

/**
 * The ids and keys that repeat from span to span (a trace's id, its services' attribute keys),
 * interned once. One for the process: a row is decoded in one synchronous call, so reads never
 * share it at the same time.
 */
const caches = new DecodeCaches();

/**
 * A layout-3 row of the trace-id-ordered copy as the readers select it (base64 of `Span`,
 * TRACE_SPANS_READ_SELECT) decoded: the one span under its resource and scope.
 */
export function decodeLayout3Row(base64: string): ResourceSpans {
  const [rs] = decodeExportTraceServiceRequest(requestBytes(base64), caches);
  if (rs?.scopeSpans.length !== 1 || rs.scopeSpans[0].spans.length !== 1)
    throw new Error('a stored span of layout 3 does not hold exactly one span');
  return rs;
}

/** Only what a trace view's first frame draws of a layout-3 row (see decodeLayout3Row). */
export function decodeLayout3Outline(base64: string): SpanOutline {
  return decodeSpanOutline(requestBytes(base64), caches);
}

/** The request a layout-3 row holds after its marker byte. */
function requestBytes(base64: string): Buffer {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes[0] !== TRACE_SPANS_LAYOUT_3_MARKER) {
    throw new Error(
      `a stored span has layout version ${String(bytes[0])}, which this Tracehouse cannot read (upgrade it)`,
    );
  }
  return bytes.subarray(1);
}
