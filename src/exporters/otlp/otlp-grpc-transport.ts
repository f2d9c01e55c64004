import type { OutgoingHttpHeaders } from 'node:http2';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ConsumeContext } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import { requestBytesOf } from '../../model/request-bytes.js';
import type { TracesData } from '../../model/span.js';
import { DEFAULT_TENANT } from '../../model/tenant.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { decodeExportTraceServiceResponse } from '../../otlp/protobuf/trace-service-response.js';
import type { ClientTlsConfig } from '../helper/client-config.js';
import type { ExportTransport } from '../helper/queued-retry-exporter.js';
import { gzipMessage } from './grpc-message-framing.js';
import { errorForGrpcStatus } from './grpc-status-error.js';
import { unaryCall } from './grpc-unary-call.js';
import { Http2Connection } from './http2-connection.js';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

export interface OtlpGrpcClientConfig {
  /** `host:port`, the scheme already taken off. */
  target: string;
  tls: ClientTlsConfig;
  headers: Record<string, string>;
  compression: 'gzip' | 'none';
}

/**
 * `TraceService/Export` as a unary gRPC call over `node:http2` with our own protobuf encoding. Not
 * grpc-js: its client costs ~3x the CPU per large message (it copies each message to prefix it,
 * and runs every call through its channel, filter and load-balancing layers), and this is the
 * collector's hot path. The tenant travels as `X-Scope-OrgID`, so a Tracehouse backend keeps it;
 * the single-tenant default is not sent.
 */
export class OtlpGrpcTransport implements ExportTransport {
  private connection: Http2Connection | undefined;
  private readonly metadata: OutgoingHttpHeaders = {};

  constructor(
    private readonly config: OtlpGrpcClientConfig,
    private readonly logger: Logger,
  ) {
    // HTTP/2 header names are lower-case (RFC 9113, 8.2.1); gRPC metadata keys are case-insensitive.
    for (const [key, value] of Object.entries(config.headers)) this.metadata[key.toLowerCase()] = value;
  }

  start(): Promise<void> {
    this.connection = new Http2Connection(this.config.target, this.config.tls, this.logger);
    return Promise.resolve();
  }

  send(data: TracesData, context: ConsumeContext, timeoutMs: number): Promise<void> {
    // Pass-through bytes go out as the parts they are: joining them would copy the whole batch.
    return this.sendRequest(
      requestBytesOf(data) ?? [encodeExportTraceServiceRequest(data)],
      context,
      timeoutMs,
    );
  }

  /** gRPC carries the protobuf request as it is, so undecoded requests go out unchanged. */
  async sendRequest(parts: readonly Buffer[], context: ConsumeContext, timeoutMs: number): Promise<void> {
    const connection = this.connection;
    if (!connection) throw new Error('otlp exporter used before start');
    const started = Date.now();
    const gzipped = this.config.compression === 'gzip';
    const message = gzipped ? [await gzipMessage(parts)] : parts;
    const metadata =
      context.tenant === DEFAULT_TENANT
        ? this.metadata
        : { ...this.metadata, 'x-scope-orgid': context.tenant };
    const { status, response } = await unaryCall(connection.session(), {
      path: EXPORT_PATH,
      metadata,
      message,
      gzipped,
      // The deadline covers compression too, as the caller's `timeout` does.
      timeoutMs: timeoutMs > 0 ? Math.max(1, timeoutMs - (Date.now() - started)) : 0,
    });
    if (status.code === GrpcStatus.DEADLINE_EXCEEDED) connection.probe();
    if (status.code !== GrpcStatus.OK) throw errorForGrpcStatus(status, this.config.target);
    const partial = response ? decodeExportTraceServiceResponse(response) : undefined;
    // OTLP partial success: the rest was accepted; the Collector logs the rejected count and moves on.
    if (partial && partial.rejectedSpans > 0)
      this.logger.warn(
        { rejected: partial.rejectedSpans, reason: partial.errorMessage },
        'backend rejected spans',
      );
  }

  shutdown(): Promise<void> {
    return this.connection?.shutdown() ?? Promise.resolve();
  }
}
