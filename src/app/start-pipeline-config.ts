import { formatListenAddress } from '../net/listen-address.js';
import type { AllInOneConfig } from './all-in-one.js';

const MIB = 1024 * 1024;

/**
 * The config `tracehouse start` runs when no `--config` is given, in the Collector's YAML shape
 * (as a parsed tree): OTLP and Zipkin receivers → batch (10ms) → store, plus the debug exporter when
 * `--debug-verbosity` asks for it. It goes through the same parser as a user's file.
 */
export function startPipelineConfig(
  config: AllInOneConfig & { debugVerbosity: string },
): Record<string, unknown> {
  const cors = { allowed_origins: config.corsAllowedOrigins };
  const exporters: Record<string, unknown> = { store: {} };
  if (config.debugVerbosity !== 'off') exporters.debug = { verbosity: config.debugVerbosity };
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: {
            endpoint: formatListenAddress(config.otlpGrpc),
            max_recv_msg_size_mib: config.maxGrpcMessageBytes / MIB,
          },
          http: {
            endpoint: formatListenAddress(config.otlpHttp),
            max_request_body_size: config.maxHttpBodyBytes,
            cors,
          },
        },
      },
      zipkin: {
        endpoint: formatListenAddress(config.zipkin),
        max_request_body_size: config.maxHttpBodyBytes,
        cors,
      },
    },
    // Senders wait for the write-ahead log (see BatchProcessor), so the batch window is short:
    // the store's group commit and flusher already make large writes; this only merges bursts.
    processors: { batch: { timeout: '10ms' } },
    exporters,
    service: {
      pipelines: {
        traces: { receivers: ['otlp', 'zipkin'], processors: ['batch'], exporters: Object.keys(exporters) },
      },
    },
  };
}
