import * as grpc from '@grpc/grpc-js';
import type { ConsumeContext } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import { DEFAULT_TENANT } from '../../model/tenant.js';
import type { TracesData } from '../../model/span.js';
import { exportTraceServiceRequestBytes } from '../../otlp/protobuf/encode-traces.js';
import { decodeExportTraceServiceResponse } from '../../otlp/protobuf/trace-service-response.js';
import type { ClientTlsConfig } from '../helper/client-config.js';
import type { ExportTransport } from '../helper/queued-retry-exporter.js';
import { errorForGrpcStatus } from './grpc-status-error.js';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const identity = (buffer: Buffer): Buffer => buffer;

export interface OtlpGrpcClientConfig {
  /** `host:port`, the scheme already taken off. */
  target: string;
  tls: ClientTlsConfig;
  headers: Record<string, string>;
  compression: 'gzip' | 'none';
}

/**
 * `TraceService/Export` over @grpc/grpc-js with our own protobuf encoding, as raw bytes (the
 * receiver's definition, mirrored). The tenant travels as `X-Scope-OrgID`, so a Tracehouse
 * backend keeps it; the single-tenant default is not sent.
 */
export class OtlpGrpcTransport implements ExportTransport {
  private client: grpc.Client | undefined;

  constructor(
    private readonly config: OtlpGrpcClientConfig,
    private readonly logger: Logger,
  ) {}

  start(): Promise<void> {
    const { tls } = this.config;
    const credentials = tls.insecure
      ? grpc.credentials.createInsecure()
      : grpc.credentials.createSsl(tls.ca ?? null, tls.key ?? null, tls.cert ?? null, {
          rejectUnauthorized: !tls.insecureSkipVerify,
        });
    const options: grpc.ChannelOptions = {};
    // grpc-js compression algorithms: 0 identity, 1 deflate, 2 gzip.
    if (this.config.compression === 'gzip') options['grpc.default_compression_algorithm'] = 2;
    if (tls.serverNameOverride) options['grpc.ssl_target_name_override'] = tls.serverNameOverride;
    this.client = new grpc.Client(this.config.target, credentials, options);
    return Promise.resolve();
  }

  send(data: TracesData, context: ConsumeContext, timeoutMs: number): Promise<void> {
    const client = this.client;
    if (!client) return Promise.reject(new Error('otlp exporter used before start'));
    const metadata = new grpc.Metadata();
    for (const [key, value] of Object.entries(this.config.headers)) metadata.set(key, value);
    if (context.tenant !== DEFAULT_TENANT) metadata.set('x-scope-orgid', context.tenant);
    const body = exportTraceServiceRequestBytes(data);
    const deadline = timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
    return new Promise((resolve, reject) => {
      client.makeUnaryRequest(
        EXPORT_PATH,
        identity,
        identity,
        body,
        metadata,
        { deadline },
        (error, response) => {
          if (error) return reject(errorForGrpcStatus(error, this.config.target));
          const partial = response ? decodeExportTraceServiceResponse(response) : undefined;
          // OTLP partial success: the rest was accepted; the Collector logs the rejected count and moves on.
          if (partial && partial.rejectedSpans > 0)
            this.logger.warn(
              { rejected: partial.rejectedSpans, reason: partial.errorMessage },
              'backend rejected spans',
            );
          resolve();
        },
      );
    });
  }

  shutdown(): Promise<void> {
    this.client?.close();
    return Promise.resolve();
  }
}
