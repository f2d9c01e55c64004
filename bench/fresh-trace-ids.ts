import { ProtoReader, WireType } from '../src/otlp/protobuf/proto-reader.js';

/*
 * Replayed payloads carry the same trace ids every cycle, so after the first cycle a tail sampler
 * sees nothing but late spans of traces it has already decided, and never buffers or decides
 * (the collector benchmark's processors row measured that path until 2026-11-26). Real traffic
 * brings new traces; this gives every send its own: the trace ids of a payload's spans are
 * rewritten in a copy, the same way for the spans of one trace, so traces stay whole.
 */

const REQUEST_RESOURCE_SPANS = 1;
const RESOURCE_SPANS_SCOPE_SPANS = 2;
const SCOPE_SPANS_SPANS = 2;
const SPAN_TRACE_ID = 1;
const TRACE_ID_BYTES = 16;

/** Offsets of the 16 trace-id bytes of every span in an ExportTraceServiceRequest. */
export function spanTraceIdOffsets(payload: Buffer): number[] {
  const offsets: number[] = [];
  const r = new ProtoReader(payload);
  eachField(r, payload.length, REQUEST_RESOURCE_SPANS, (rsEnd) =>
    eachField(r, rsEnd, RESOURCE_SPANS_SCOPE_SPANS, (ssEnd) =>
      eachField(r, ssEnd, SCOPE_SPANS_SPANS, (spanEnd) =>
        eachField(r, spanEnd, SPAN_TRACE_ID, (idEnd) => {
          if (idEnd - r.pos === TRACE_ID_BYTES) offsets.push(r.pos);
        }),
      ),
    ),
  );
  return offsets;
}

/** Calls `inner` for each length-delimited `field` up to `end`, positioned at its start; skips the rest. */
function eachField(r: ProtoReader, end: number, field: number, inner: (fieldEnd: number) => void): void {
  while (r.pos < end) {
    const tag = r.uint32(end);
    if (tag >>> 3 === field && (tag & 7) === WireType.LEN) {
      const fieldEnd = r.lengthEnd(end);
      inner(fieldEnd);
      r.pos = fieldEnd;
    } else r.skip(tag & 7, end, tag >>> 3);
  }
}

/** A copy of `payload` whose span trace ids have their last four bytes XORed with `nonce`. */
export function withFreshTraceIds(payload: Buffer, offsets: readonly number[], nonce: number): Buffer {
  const copy = Buffer.from(payload);
  for (const offset of offsets) {
    const last = offset + TRACE_ID_BYTES - 4;
    copy.writeUInt32LE((copy.readUInt32LE(last) ^ nonce) >>> 0, last);
  }
  return copy;
}

/** Wraps a sender so that each payload goes with trace ids no send before it used. */
export function freshTraceIdSender(
  send: (payload: Buffer) => Promise<void>,
  payloads: readonly Buffer[],
): (payload: Buffer) => Promise<void> {
  const offsets = new Map(payloads.map((p) => [p, spanTraceIdOffsets(p)]));
  let sends = 0;
  return (payload) => {
    const known = offsets.get(payload);
    if (!known) throw new Error('freshTraceIdSender: a payload it was not given');
    // Starts at 1: nonce 0 would send the original ids once more.
    return send(withFreshTraceIds(payload, known, ++sends));
  };
}
