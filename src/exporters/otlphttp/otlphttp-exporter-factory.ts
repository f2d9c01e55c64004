import type { ExporterFactory } from '../../pipeline/component-factory.js';
import type { ConfigNode } from '../../pipeline/config-node.js';
import { parseClientTls, parseCompression, parseHeaders, plainClientTls } from '../helper/client-config.js';
import type { ExporterHelperConfig } from '../helper/exporter-helper-config.js';
import { EXPORTER_HELPER_DEFAULTS, parseExporterHelperConfig } from '../helper/exporter-helper-config.js';
import { QueuedRetryExporter } from '../helper/queued-retry-exporter.js';
import type { OtlpHttpClientConfig } from './otlp-http-transport.js';
import { OtlpHttpTransport } from './otlp-http-transport.js';

export interface OtlpHttpExporterConfig extends ExporterHelperConfig, OtlpHttpClientConfig {}

/** The Collector's otlphttp defaults differ from the other exporters' in `timeout`: 30s. */
const DEFAULTS: ExporterHelperConfig = { ...EXPORTER_HELPER_DEFAULTS, timeoutMs: 30_000 };

/**
 * The Collector `otlphttp` exporter. `endpoint` is a base URL to which `/v1/traces` is appended
 * (after one trailing `/`), `traces_endpoint` a full URL used as given and taking precedence; one
 * of them is required. `https://` means TLS. Defaults as the Collector's: `encoding: proto`,
 * `compression: gzip`, `timeout: 30s`.
 */
export const otlpHttpExporterFactory: ExporterFactory<OtlpHttpExporterConfig> = {
  type: 'otlphttp',
  createDefaultConfig: () => ({
    ...DEFAULTS,
    url: '',
    encoding: 'proto',
    compression: 'gzip',
    headers: {},
    tls: plainClientTls(false),
  }),
  parseConfig(node: ConfigNode): OtlpHttpExporterConfig {
    const base = readUrl(node.get('endpoint'));
    const traces = readUrl(node.get('traces_endpoint'));
    let url: string;
    if (traces !== undefined) url = traces;
    else if (base !== undefined) url = base.endsWith('/') ? `${base}v1/traces` : `${base}/v1/traces`;
    else throw node.error('either endpoint or traces_endpoint must be specified');
    return {
      url,
      encoding: node.get('encoding').oneOf(['proto', 'json'] as const, 'proto'),
      compression: parseCompression(node.get('compression')),
      headers: parseHeaders(node.get('headers')),
      tls: parseClientTls(node.get('tls')),
      ...parseExporterHelperConfig(node, DEFAULTS),
    };
  },
  createTraces: (settings, config) =>
    new QueuedRetryExporter(
      settings.id,
      new OtlpHttpTransport(config, settings.logger),
      config,
      settings.logger,
    ),
};

function readUrl(node: ConfigNode): string | undefined {
  const text = node.optionalString()?.trim();
  if (text === undefined || text === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '')
    throw node.error(`"${text}" is not an http(s) URL, e.g. https://tempo:4318`);
  return text;
}
