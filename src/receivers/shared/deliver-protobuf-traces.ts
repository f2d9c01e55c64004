import type { ConsumeContext, TracesConsumer } from '../../consumer/traces-consumer.js';
import { decodeExportTraceServiceRequestVerbatim } from '../../otlp/protobuf/decode-traces.js';
import type { DecodeCaches } from '../../otlp/protobuf/proto-reader.js';
import { ProtobufDecodeError } from '../../otlp/protobuf/protobuf-decode-error.js';
import { scanExportTraceServiceRequest } from '../../otlp/protobuf/scan-traces.js';
import type { PartialSuccess } from '../../otlp/protobuf/trace-service-response.js';
import { decodeBody } from './decode-body.js';
import { deliverTraceBytes, deliverTraces } from './deliver-traces.js';

/**
 * Handles a protobuf ExportTraceServiceRequest body (OTLP/gRPC, OTLP/HTTP). Where the pipeline
 * takes undecoded requests (TracesConsumer.consumeTraceBytes), the body is scanned rather than
 * decoded: well-formed, verbatim, every span valid — it goes on as bytes with the scan's span
 * count. Otherwise, or when the scan finds a span to drop or something the model would not
 * keep, it is decoded as before, so partial success and pass-through decisions are unchanged.
 * Malformed bytes fail the same way on both paths (the scan throws what the decoder throws).
 */
export async function deliverProtobufTraces(
  body: Buffer,
  next: TracesConsumer,
  context: ConsumeContext,
  receiver: string,
  caches: DecodeCaches,
): Promise<PartialSuccess | undefined> {
  if (next.consumeTraceBytes) {
    const scan = decodeBody('protobuf', ProtobufDecodeError, () =>
      scanExportTraceServiceRequest(body, caches),
    );
    if (scan.verdict === 'ok')
      return deliverTraceBytes(
        { parts: [body], spans: scan.spans },
        (request, ctx) => next.consumeTraceBytes!(request, ctx),
        context,
        receiver,
      );
  }
  const { data, verbatim, spanFields } = decodeBody('protobuf', ProtobufDecodeError, () =>
    decodeExportTraceServiceRequestVerbatim(body, caches),
  );
  return deliverTraces(data, next, context, receiver, verbatim ? { bytes: body, spanFields } : undefined);
}
