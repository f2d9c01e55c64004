import { ProtoWriter } from './proto-writer.js';

/**
 * `google.rpc.Status` (code 1, message 2, details 3 as `google.protobuf.Any`): the body of an
 * OTLP/HTTP error response and, as gRPC's `grpc-status-details-bin`, the carrier of `RetryInfo`.
 */
export function encodeRpcStatus(code: number, message: string, retryAfterMs?: number): Buffer {
  const w = new ProtoWriter(128);
  w.uint32Field(1, code);
  w.stringField(2, message);
  if (retryAfterMs !== undefined) {
    w.beginMessage(3);
    w.stringField(1, 'type.googleapis.com/google.rpc.RetryInfo');
    w.beginMessage(2); // Any.value: the RetryInfo message bytes
    w.beginMessage(1); // RetryInfo.retry_delay: google.protobuf.Duration
    w.int64Field(1, BigInt(Math.floor(retryAfterMs / 1000)));
    w.uint32Field(2, (retryAfterMs % 1000) * 1_000_000);
    w.endMessage();
    w.endMessage();
    w.endMessage();
  }
  return w.finish();
}
