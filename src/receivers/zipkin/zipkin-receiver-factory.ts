import type { ListenAddress } from '../../net/listen-address.js';
import type { ReceiverFactory } from '../../pipeline/component-factory.js';
import type { TlsServerFiles } from '../../net/tls-credentials.js';
import { readCorsOrigins, readListenEndpoint, readServerTls } from '../../pipeline/read-endpoint.js';
import { DEFAULT_OTLP_HTTP_MAX_BODY } from '../otlp/otlp-http-receiver.js';
import { ZipkinReceiver } from './zipkin-receiver.js';

export interface ZipkinReceiverFactoryConfig {
  endpoint: ListenAddress;
  corsAllowedOrigins: string[];
  maxRequestBodySize: number;
  tls?: TlsServerFiles;
}

/** The Collector `zipkin` receiver: `endpoint` (default localhost:9411), plus its HTTP server's `cors` and `tls`. */
export const zipkinReceiverFactory: ReceiverFactory<ZipkinReceiverFactoryConfig> = {
  type: 'zipkin',
  createDefaultConfig: () => ({
    endpoint: { host: 'localhost', port: 9411 },
    corsAllowedOrigins: [],
    maxRequestBodySize: DEFAULT_OTLP_HTTP_MAX_BODY,
  }),
  parseConfig: (node) => ({
    endpoint: readListenEndpoint(node.get('endpoint'), 'localhost:9411'),
    corsAllowedOrigins: readCorsOrigins(node.get('cors')),
    maxRequestBodySize: node
      .get('max_request_body_size')
      .number(DEFAULT_OTLP_HTTP_MAX_BODY, { min: 1, integer: true }),
    tls: readServerTls(node.get('tls')),
  }),
  createTraces: (settings, config, next) => [
    new ZipkinReceiver(
      {
        endpoint: config.endpoint,
        maxRequestBodyBytes: config.maxRequestBodySize,
        corsAllowedOrigins: config.corsAllowedOrigins,
        tls: config.tls,
      },
      { logger: settings.logger, next, limiter: settings.host.limiter, identity: settings.host.identity },
    ),
  ],
};
