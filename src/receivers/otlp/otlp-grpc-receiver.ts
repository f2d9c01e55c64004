import * as grpc from '@grpc/grpc-js';
import { DecodeCaches } from '../../otlp/protobuf/proto-reader.js';
import { encodeRpcStatus } from '../../otlp/protobuf/rpc-status.js';
import { encodeExportTraceServiceResponse } from '../../otlp/protobuf/trace-service-response.js';
import { deliverProtobufTraces } from '../shared/deliver-protobuf-traces.js';
import { refuseEarly } from '../shared/refuse-early.js';
import type { ListenAddress } from '../../net/listen-address.js';
import { formatListenAddress, listenErrorFor } from '../../net/listen-address.js';
import type { TlsServerFiles } from '../../net/tls-credentials.js';
import { loadTlsServerCredentials } from '../../net/tls-credentials.js';
import { receiverRefusedRequests } from '../../observability/self-metrics.js';
import { ingestTenant } from '../shared/ingest-tenant.js';
import type { ReceiverSettings, TracesReceiver } from '../shared/receiver-settings.js';
import { RequestRejection } from '../shared/request-rejection.js';
import { DEFAULT_GRPC_HTTP2_WINDOWS, widenHttp2Windows } from './grpc-server-windows.js';

export interface OtlpGrpcReceiverConfig {
  endpoint: ListenAddress;
  /** The Collector's `max_recv_msg_size_mib`, in bytes: 4 MiB by default, as there. */
  maxRecvMsgSizeBytes: number;
  /** Serve TLS (the Collector's `tls`); plaintext when absent. */
  tls?: TlsServerFiles;
}

export const DEFAULT_OTLP_GRPC_MAX_MESSAGE = 4 * 1024 * 1024;

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

const identity = (buffer: Buffer): Buffer => buffer;

// The answer to a fully accepted export: the empty ExportTraceServiceResponse is zero bytes, so it
// is not encoded anew per request (grpc-js copies it into its own frame and never writes to it).
const ACCEPTED_RESPONSE = Buffer.alloc(0);

// grpc-js prints its own errors to stderr (e.g. a failed bind, which we already report in one
// line); keep stderr for Tracehouse's structured logs.
grpc.setLogVerbosity(grpc.logVerbosity.NONE);

/**
 * `TraceService/Export` with raw-bytes (de)serializers: the request reaches the handler as the
 * Buffer grpc-js read (decompressed if the client sent gzip) and is decoded by our codec, so a
 * malformed message becomes INVALID_ARGUMENT with the decoder's explanation.
 */
const traceServiceDefinition: grpc.ServiceDefinition = {
  Export: {
    path: EXPORT_PATH,
    requestStream: false,
    responseStream: false,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  },
};

/** OTLP/gRPC receiver (OTLP specification, "OTLP/gRPC"). */
export class OtlpGrpcReceiver implements TracesReceiver {
  readonly component = 'otlp-grpc';
  private readonly server: grpc.Server;
  private readonly caches = new DecodeCaches();
  private boundPort: number | undefined;
  private stopped = false;

  constructor(
    private readonly config: OtlpGrpcReceiverConfig,
    private readonly settings: ReceiverSettings,
  ) {
    this.server = new grpc.Server({
      'grpc.max_receive_message_length': config.maxRecvMsgSizeBytes,
      // Let idle SDK connections live; they reconnect cheaply but each reconnect costs a handshake.
      'grpc.keepalive_permit_without_calls': 1,
    });
    this.server.addService(traceServiceDefinition, {
      Export: (call: grpc.ServerUnaryCall<Buffer, Buffer>, callback: grpc.sendUnaryData<Buffer>) => {
        this.export(call.request, call.metadata).then(
          (response) => callback(null, response),
          (error: unknown) => callback(this.toServiceError(error)),
        );
      },
    });
  }

  private async export(request: Buffer, metadata: grpc.Metadata): Promise<Buffer> {
    const tenant = ingestTenant(
      this.settings.identity,
      orgIdEntries(metadata),
      metadata.get('authorization')[0],
    );
    refuseEarly(this.settings.next, tenant);
    const bytes = request.length;
    this.settings.limiter.acquire(bytes);
    try {
      const partial = await deliverProtobufTraces(
        request,
        this.settings.next,
        { tenant },
        this.component,
        this.caches,
      );
      return partial === undefined ? ACCEPTED_RESPONSE : encodeExportTraceServiceResponse(partial);
    } finally {
      this.settings.limiter.release(bytes);
    }
  }

  private toServiceError(error: unknown): Partial<grpc.StatusObject> {
    const rejection =
      error instanceof RequestRejection
        ? error
        : new RequestRejection(
            'internal',
            `internal error: ${error instanceof Error ? error.message : String(error)}`,
          );
    receiverRefusedRequests.inc({ receiver: this.component, reason: rejection.kind });
    if (rejection.kind === 'internal')
      this.settings.logger.error({ err: error }, 'otlp-grpc receiver failed');
    const metadata = new grpc.Metadata();
    if (rejection.retryAfterMs !== undefined) {
      // RESOURCE_EXHAUSTED is only retried by OTLP clients when RetryInfo says when (OTLP "Throttling").
      metadata.set(
        'grpc-status-details-bin',
        encodeRpcStatus(rejection.grpcStatus, rejection.message, rejection.retryAfterMs),
      );
    }
    return { code: rejection.grpcStatus, details: rejection.message, metadata };
  }

  async start(): Promise<void> {
    const { endpoint, tls } = this.config;
    const { host, port } = endpoint;
    let credentials = grpc.ServerCredentials.createInsecure();
    if (tls) {
      const { cert, key, ca } = await loadTlsServerCredentials(tls, this.component, endpoint);
      // With a client CA, clients must present a certificate it signed (configtls `client_ca_file`).
      credentials = grpc.ServerCredentials.createSsl(
        ca ?? null,
        [{ cert_chain: cert, private_key: key }],
        ca !== undefined,
      );
    }
    this.boundPort = await new Promise<number>((resolve, reject) => {
      this.server.bindAsync(formatListenAddress({ host, port }), credentials, (error, boundPort) =>
        error ? reject(listenErrorFor(this.component, this.config.endpoint, error)) : resolve(boundPort),
      );
    });
    if (!widenHttp2Windows(this.server, DEFAULT_GRPC_HTTP2_WINDOWS)) {
      this.settings.logger.debug(
        { component: this.component },
        'grpc-js no longer exposes its HTTP/2 servers as expected; default flow-control windows',
      );
    }
  }

  address(): string {
    return formatListenAddress({
      host: this.config.endpoint.host,
      port: this.boundPort ?? this.config.endpoint.port,
    });
  }

  /** Stops taking calls and waits for those in progress; forces after `graceMs`. */
  async shutdown(graceMs = 10_000): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.boundPort === undefined) return;
    await new Promise<void>((resolve) => {
      const force = setTimeout(() => {
        this.server.forceShutdown();
        resolve();
      }, graceMs);
      this.server.tryShutdown(() => {
        clearTimeout(force);
        resolve();
      });
    });
  }
}

/**
 * Every `x-scope-orgid` metadata entry. Node's HTTP/2 joins a header field sent twice with ", "
 * before grpc-js sees it, so the joined value is split again; no valid tenant holds a comma.
 */
function orgIdEntries(metadata: grpc.Metadata): string[] {
  return metadata
    .get('x-scope-orgid')
    .flatMap((value) => (typeof value === 'string' ? value.split(', ') : []));
}
