import { CaptureExporter } from '../../test/support/capture-exporter.js';
import { silentLogger } from '../logging/logger.js';
import { OtlpGrpcReceiver } from '../receivers/otlp/otlp-grpc-receiver.js';
import { InflightLimiter } from '../receivers/shared/inflight-limiter.js';
import { buildService } from './build-service.js';
import { builtinComponents } from './builtin-components.js';
import { parseConfigText } from './load-config.js';
import type { Service } from './service.js';

/** Runs a YAML config in-process (tests): parsed, built and started as `tracehouse collector` does. */
export async function runConfigText(text: string, env: NodeJS.ProcessEnv = {}): Promise<Service> {
  const config = parseConfigText(text, env, builtinComponents());
  const service = await buildService(config, silentLogger(), {
    limiter: new InflightLimiter(64 * 1024 * 1024),
  });
  await service.start();
  return service;
}

/** The bound address of a running receiver by component (`otlp-grpc`, `otlp-http`, `zipkin`). */
export function receiverAddress(service: Service, component: string): string {
  const receiver = service.receivers.find((r) => r.component === component);
  if (!receiver) throw new Error(`no ${component} receiver`);
  return receiver.address();
}

/**
 * The backend a collector under test exports to: a Tracehouse OTLP/gRPC receiver on a free
 * loopback port feeding a capture (which decodes what arrives and keeps the bytes it came as).
 * Its shutdown is handed to `cleanup`, for the test's afterEach.
 */
export async function captureBackend(
  cleanup: (stop: () => Promise<void>) => void,
): Promise<{ capture: CaptureExporter; address: string }> {
  const capture = new CaptureExporter();
  const receiver = new OtlpGrpcReceiver(
    { endpoint: { host: '127.0.0.1', port: 0 }, maxRecvMsgSizeBytes: 16 << 20 },
    { logger: silentLogger(), next: capture, limiter: new InflightLimiter(64 << 20) },
  );
  await receiver.start();
  cleanup(() => receiver.shutdown());
  return { capture, address: receiver.address() };
}
