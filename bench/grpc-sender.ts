import * as grpc from '@grpc/grpc-js';
import type { Sender } from './sender.js';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const REQUEST_TIMEOUT_MS = 10_000;
const identity = (buffer: Buffer): Buffer => buffer;

/**
 * OTLP/gRPC `TraceService/Export` with pre-encoded request bytes, over one channel (one HTTP/2
 * connection), as an OpenTelemetry SDK exporter sends. Resolves once the channel is connected.
 */
export async function connectGrpcSender(target: string): Promise<Sender> {
  const client = new grpc.Client(target, grpc.credentials.createInsecure());
  await new Promise<void>((resolve, reject) =>
    client.waitForReady(Date.now() + REQUEST_TIMEOUT_MS, (error) => (error ? reject(error) : resolve())),
  );
  const send = (payload: Buffer): Promise<void> =>
    new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        EXPORT_PATH,
        identity,
        identity,
        payload,
        new grpc.Metadata(),
        { deadline: Date.now() + REQUEST_TIMEOUT_MS },
        (error) => (error ? reject(error) : resolve()),
      );
    });
  return { send, close: () => client.close() };
}
