import type { TracesData } from '../src/model/span.js';
import { encodeExportTraceServiceRequest } from '../src/otlp/protobuf/encode-traces.js';
import { RowBinaryWriter } from '../src/store/rowbinary/rowbinary-writer.js';

/**
 * An experiment of engine-insert-probe.ts (issue 3): the trace-id-ordered copy written by Node
 * instead of formatted by a materialized view. Each span becomes one RowBinary row of
 * PROTO_COPY_STRUCTURE whose `Span` is its OTLP protobuf, an `ExportTraceServiceRequest` of one
 * span under its resource and scope: what a receiver could copy from the request's bytes at
 * ingest, and any reader decode with the OTLP decoder. The probe measures what ClickHouse then
 * pays for the copy (a plain second insert of these bytes) against the JSON view's formatting.
 */
export const PROTO_COPY_STRUCTURE = 'TraceId String, Timestamp DateTime64(9), Span String';

export function protoCopyRows(data: TracesData): Buffer {
  const w = new RowBinaryWriter();
  for (const rs of data)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) {
        const one = encodeExportTraceServiceRequest([
          {
            resource: rs.resource,
            scopeSpans: [{ scope: ss.scope, spans: [span], schemaUrl: ss.schemaUrl }],
            schemaUrl: rs.schemaUrl,
          },
        ]);
        w.string(span.traceId);
        w.dateTime64Nanos(span.startTimeUnixNano);
        w.varUInt(one.length);
        w.bytes(one);
      }
  return w.take();
}
