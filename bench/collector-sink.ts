import { NopExporter } from '../src/exporters/nop/nop-exporter.js';
import { silentLogger } from '../src/logging/logger.js';
import { OtlpGrpcReceiver } from '../src/receivers/otlp/otlp-grpc-receiver.js';
import { InflightLimiter } from '../src/receivers/shared/inflight-limiter.js';
import type { SinkMessage, SinkRequest } from './collector-messages.js';

/*
 * The collector benchmark's backend, forked by collector-server.ts: Tracehouse's OTLP/gRPC
 * receiver into a NopExporter on 127.0.0.1, in its own process so that decoding what the
 * collector exports is not charged to the collector. Answers span counts over IPC.
 */
const exporter = new NopExporter();
const receiver = new OtlpGrpcReceiver(
  // The collector's batches (8192 spans, ~4 MB) exceed gRPC's 4 MiB default.
  { endpoint: { host: '127.0.0.1', port: 0 }, maxRecvMsgSizeBytes: 64 << 20 },
  { logger: silentLogger(), next: exporter, limiter: new InflightLimiter(1 << 30) },
);
await receiver.start();
tell({ type: 'listening', address: receiver.address() });
process.on('message', (raw) => {
  const request = raw as SinkRequest; // sent by collector-server.ts
  if (request.type === 'count') {
    const { user, system } = process.cpuUsage();
    tell({ type: 'count', spans: exporter.spans, cpuMs: (user + system) / 1000 });
  } else void receiver.shutdown().then(() => process.disconnect());
});
process.on('disconnect', () => void receiver.shutdown());

function tell(message: SinkMessage): void {
  process.send?.(message);
}
