import type { ExporterFactory } from '../../pipeline/component-factory.js';
import type { ConfigNode } from '../../pipeline/config-node.js';
import type { ClientTlsConfig } from '../helper/client-config.js';
import { parseClientTls, parseCompression, parseHeaders, plainClientTls } from '../helper/client-config.js';
import type { ExporterHelperConfig } from '../helper/exporter-helper-config.js';
import { EXPORTER_HELPER_DEFAULTS, parseExporterHelperConfig } from '../helper/exporter-helper-config.js';
import { QueuedRetryExporter } from '../helper/queued-retry-exporter.js';
import { OtlpGrpcTransport } from './otlp-grpc-transport.js';

export interface OtlpExporterConfig extends ExporterHelperConfig {
  /** `host:port` to dial. */
  target: string;
  tls: ClientTlsConfig;
  headers: Record<string, string>;
  compression: 'gzip' | 'none';
}

/**
 * The Collector `otlp` exporter (OTLP/gRPC). `endpoint` is required; a `https://` scheme turns TLS
 * on and `http://` off, over `tls.insecure` — the Collector's rule.
 */
export const otlpExporterFactory: ExporterFactory<OtlpExporterConfig> = {
  type: 'otlp',
  createDefaultConfig: () => ({
    ...EXPORTER_HELPER_DEFAULTS,
    target: '',
    tls: plainClientTls(false),
    headers: {},
    compression: 'gzip',
  }),
  parseConfig(node: ConfigNode): OtlpExporterConfig {
    const endpoint = node.get('endpoint');
    const text = endpoint.string();
    const match = /^(?:(https?):\/\/)?([^/\s]+?)\/?$/.exec(text.trim());
    if (!match || !/:\d+$/.test(match[2]))
      throw endpoint.error(`"${text}" is not a gRPC endpoint: expected host:port, e.g. tempo:4317`);
    const tls = parseClientTls(node.get('tls'));
    if (match[1] === 'https') tls.insecure = false;
    if (match[1] === 'http') tls.insecure = true;
    return {
      target: match[2],
      tls,
      headers: parseHeaders(node.get('headers')),
      compression: parseCompression(node.get('compression')),
      ...parseExporterHelperConfig(node),
    };
  },
  createTraces: (settings, config) =>
    new QueuedRetryExporter(
      settings.id,
      new OtlpGrpcTransport(config, settings.logger),
      config,
      settings.logger,
    ),
};
