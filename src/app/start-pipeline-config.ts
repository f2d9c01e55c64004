import { formatListenAddress } from '../net/listen-address.js';
import type { TlsServerFiles } from '../net/tls-credentials.js';
import type { AllInOneConfig } from './all-in-one.js';

const MIB = 1024 * 1024;

/**
 * The config `tracehouse start` runs when no `--config` is given, in the Collector's YAML shape
 * (as a parsed tree): OTLP and Zipkin receivers → batch (10ms) → store, plus the debug exporter when
 * `--debug-verbosity` asks for it, and each receiver's `tls` with `--tls-cert-file`. It goes through
 * the same parser as a user's file.
 */
export function startPipelineConfig(
  config: AllInOneConfig & { debugVerbosity: string; tls?: TlsServerFiles },
): Record<string, unknown> {
  const cors = { allowed_origins: config.corsAllowedOrigins };
  const tls = config.tls ? { tls: { cert_file: config.tls.certFile, key_file: config.tls.keyFile } } : {};
  const exporters: Record<string, unknown> = { store: {} };
  if (config.debugVerbosity !== 'off') exporters.debug = { verbosity: config.debugVerbosity };
  return {
    receivers: {
      otlp: {
        protocols: {
          grpc: {
            endpoint: formatListenAddress(config.otlpGrpc),
            max_recv_msg_size_mib: config.maxGrpcMessageBytes / MIB,
            ...tls,
          },
          http: {
            endpoint: formatListenAddress(config.otlpHttp),
            max_request_body_size: config.maxHttpBodyBytes,
            cors,
            ...tls,
          },
        },
      },
      zipkin: {
        endpoint: formatListenAddress(config.zipkin),
        max_request_body_size: config.maxHttpBodyBytes,
        cors,
        ...tls,
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
