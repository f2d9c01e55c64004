import * as grpc from '@grpc/grpc-js';
import type { ExportResult } from '@opentelemetry/core';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Runs one `SpanExporter.export` and resolves with its result callback's value. */
export function exportWith(exporter: SpanExporter, spans: ReadableSpan[]): Promise<ExportResult> {
  return new Promise((resolve) => exporter.export(spans, resolve));
}

const identity = (b: Buffer): Buffer => b;

export interface RawGrpcResult {
  error: grpc.ServiceError | null;
  response: Buffer | undefined;
}

/** Sends raw bytes to TraceService/Export, for the bad-input cases a real SDK would never produce. */
export function rawGrpcExport(
  address: string,
  body: Buffer,
  options: {
    metadata?: grpc.Metadata;
    channel?: grpc.ChannelOptions;
    credentials?: grpc.ChannelCredentials;
  } = {},
): Promise<RawGrpcResult> {
  const client = new grpc.Client(address, options.credentials ?? grpc.credentials.createInsecure(), {
    'grpc.max_send_message_length': -1,
    ...options.channel,
  });
  return new Promise((resolve) => {
    client.makeUnaryRequest(
      '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      identity,
      identity,
      body,
      options.metadata ?? new grpc.Metadata(),
      (error, response) => {
        client.close();
        resolve({ error, response });
      },
    );
  });
}
