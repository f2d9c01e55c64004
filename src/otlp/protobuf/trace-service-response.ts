import { ProtoReader, WireType } from './proto-reader.js';
import { ProtoWriter } from './proto-writer.js';
import { checkUnknown } from './decode-any-value.js';

/** OTLP `ExportTracePartialSuccess`: how many spans were refused and why. */
export interface PartialSuccess {
  rejectedSpans: number;
  errorMessage: string;
}

/** Encodes `ExportTraceServiceResponse`; with no rejection it is the empty message, as the spec asks. */
export function encodeExportTraceServiceResponse(partial?: PartialSuccess): Buffer {
  const w = new ProtoWriter(64);
  if (partial !== undefined && (partial.rejectedSpans !== 0 || partial.errorMessage !== '')) {
    w.beginMessage(1);
    if (partial.rejectedSpans !== 0) w.int64Field(1, BigInt(partial.rejectedSpans));
    w.stringField(2, partial.errorMessage);
    w.endMessage();
  }
  return w.finish();
}

export function decodeExportTraceServiceResponse(bytes: Uint8Array): PartialSuccess | undefined {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const r = new ProtoReader(buf);
  let partial: PartialSuccess | undefined;
  while (r.pos < buf.length) {
    const t = r.uint32(buf.length);
    if (t !== ((1 << 3) | WireType.LEN)) {
      checkUnknown(r, t, buf.length, 'ExportTraceServiceResponse', 1);
      continue;
    }
    const end = r.lengthEnd(buf.length);
    partial = { rejectedSpans: 0, errorMessage: '' };
    while (r.pos < end) {
      const f = r.uint32(end);
      if (f === ((1 << 3) | WireType.VARINT)) partial.rejectedSpans = Number(r.int64(end));
      else if (f === ((2 << 3) | WireType.LEN)) partial.errorMessage = r.string(end);
      else checkUnknown(r, f, end, 'ExportTracePartialSuccess', 2);
    }
  }
  return partial;
}
