import { ApiServer } from '../api/api-server.js';
import type { RequestIdentity } from '../auth/request-identity.js';
import type { TracesConsumer } from '../consumer/traces-consumer.js';
import type { TracesExporter } from '../exporters/traces-exporter.js';
import type { Logger } from '../logging/logger.js';
import type { TraceStore } from '../store/trace-store.js';
import { FanoutConsumer } from '../pipeline/fanout-consumer.js';
import { OtlpGrpcReceiver } from '../receivers/otlp/otlp-grpc-receiver.js';
import { OtlpHttpReceiver } from '../receivers/otlp/otlp-http-receiver.js';
import { InflightLimiter } from '../receivers/shared/inflight-limiter.js';
import type { ListenAddress } from '../net/listen-address.js';
import type { TracesReceiver } from '../receivers/shared/receiver-settings.js';
import { ZipkinReceiver } from '../receivers/zipkin/zipkin-receiver.js';

export interface AllInOneConfig {
  otlpGrpc: ListenAddress;
  otlpHttp: ListenAddress;
  zipkin: ListenAddress;
  http: ListenAddress;
  maxGrpcMessageBytes: number;
  maxHttpBodyBytes: number;
  /** Bound on request bytes held by all receivers at once; past it senders are told to retry. */
  maxInflightBytes: number;
  corsAllowedOrigins: string[];
  /** Stored traces for the read API, when the process has a store. */
  store?: TraceStore;
  /** Tenant and bearer-token rules of every receiver and the API; default: open. */
  identity?: RequestIdentity;
}

export interface RunningTracehouse {
  readonly receivers: readonly TracesReceiver[];
  readonly api: ApiServer;
  /** Stops the listeners, waits for accepted requests, then shuts the exporters down. Idempotent. */
  shutdown(): Promise<void>;
}

/**
 * Wires one process: receivers → exporters, plus the HTTP read port. Listeners start in
 * parallel; if any fails, those already up are closed again and the error (one line naming the
 * address) propagates.
 */
export async function startAllInOne(
  config: AllInOneConfig,
  exporters: TracesExporter[],
  logger: Logger,
): Promise<RunningTracehouse> {
  for (const exporter of exporters) await exporter.start();
  const next: TracesConsumer = new FanoutConsumer(exporters);
  const limiter = new InflightLimiter(config.maxInflightBytes);
  const settings = { logger, next, limiter, identity: config.identity };
  const receivers: TracesReceiver[] = [
    new OtlpGrpcReceiver(
      { endpoint: config.otlpGrpc, maxRecvMsgSizeBytes: config.maxGrpcMessageBytes },
      settings,
    ),
    new OtlpHttpReceiver(
      {
        endpoint: config.otlpHttp,
        maxRequestBodyBytes: config.maxHttpBodyBytes,
        corsAllowedOrigins: config.corsAllowedOrigins,
        tracesPath: '/v1/traces',
      },
      settings,
    ),
    new ZipkinReceiver(
      {
        endpoint: config.zipkin,
        maxRequestBodyBytes: config.maxHttpBodyBytes,
        corsAllowedOrigins: config.corsAllowedOrigins,
      },
      settings,
    ),
  ];
  const api = new ApiServer({
    endpoint: config.http,
    store: config.store,
    identity: config.identity,
    logger,
  });
  let stopping: Promise<void> | undefined;
  const shutdown = (): Promise<void> =>
    (stopping ??= (async () => {
      await Promise.allSettled([api.shutdown(), ...receivers.map((r) => r.shutdown())]);
      for (const exporter of exporters) await exporter.shutdown();
    })());

  const started = await Promise.allSettled([...receivers.map((r) => r.start()), api.start()]);
  const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failure) {
    await shutdown();
    throw failure.reason;
  }
  api.markReady();
  for (const receiver of receivers)
    logger.info({ component: receiver.component, address: receiver.address() }, 'listening');
  logger.info({ component: api.component, address: api.address() }, 'listening');
  return { receivers, api, shutdown };
}
