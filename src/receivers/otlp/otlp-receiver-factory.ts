import type { ListenAddress } from '../../net/listen-address.js';
import type { ReceiverFactory } from '../../pipeline/component-factory.js';
import type { ConfigNode } from '../../pipeline/config-node.js';
import type { TlsServerFiles } from '../../net/tls-credentials.js';
import { readCorsOrigins, readListenEndpoint, readServerTls } from '../../pipeline/read-endpoint.js';
import type { TracesReceiver } from '../shared/receiver-settings.js';
import { OtlpGrpcReceiver } from './otlp-grpc-receiver.js';
import { OtlpHttpReceiver } from './otlp-http-receiver.js';

const MIB = 1024 * 1024;

/** The Collector `otlp` receiver's config; a protocol left out is not served. */
export interface OtlpReceiverConfig {
  grpc?: { endpoint: ListenAddress; maxRecvMsgSizeMib: number; tls?: TlsServerFiles };
  http?: {
    endpoint: ListenAddress;
    maxRequestBodySize: number;
    corsAllowedOrigins: string[];
    tracesUrlPath: string;
    tls?: TlsServerFiles;
  };
}

/**
 * Defaults as the Collector documents them: gRPC on localhost:4317 with 4 MiB messages, HTTP on
 * localhost:4318 with 20 MiB bodies and traces at /v1/traces.
 */
const DEFAULTS = {
  grpc: { endpoint: 'localhost:4317', maxRecvMsgSizeMib: 4 },
  http: { endpoint: 'localhost:4318', maxRequestBodySize: 20 * MIB, tracesUrlPath: '/v1/traces' },
};

export const otlpReceiverFactory: ReceiverFactory<OtlpReceiverConfig> = {
  type: 'otlp',
  createDefaultConfig: () => ({
    grpc: { endpoint: { host: 'localhost', port: 4317 }, maxRecvMsgSizeMib: DEFAULTS.grpc.maxRecvMsgSizeMib },
    http: {
      endpoint: { host: 'localhost', port: 4318 },
      maxRequestBodySize: DEFAULTS.http.maxRequestBodySize,
      corsAllowedOrigins: [],
      tracesUrlPath: DEFAULTS.http.tracesUrlPath,
    },
  }),
  parseConfig(node: ConfigNode): OtlpReceiverConfig {
    const protocols = node.get('protocols');
    const config: OtlpReceiverConfig = {};
    if (protocols.has('grpc')) {
      const grpc = protocols.get('grpc');
      config.grpc = {
        endpoint: readListenEndpoint(grpc.get('endpoint'), DEFAULTS.grpc.endpoint),
        maxRecvMsgSizeMib: grpc
          .get('max_recv_msg_size_mib')
          .number(DEFAULTS.grpc.maxRecvMsgSizeMib, { min: 0 }),
        tls: readServerTls(grpc.get('tls')),
      };
    }
    if (protocols.has('http')) {
      const http = protocols.get('http');
      config.http = {
        endpoint: readListenEndpoint(http.get('endpoint'), DEFAULTS.http.endpoint),
        maxRequestBodySize: http.get('max_request_body_size').number(DEFAULTS.http.maxRequestBodySize, {
          min: 1,
          integer: true,
        }),
        corsAllowedOrigins: readCorsOrigins(http.get('cors')),
        tracesUrlPath: http.get('traces_url_path').string(DEFAULTS.http.tracesUrlPath),
        tls: readServerTls(http.get('tls')),
      };
    }
    // The Collector refuses an otlp receiver with no protocol the same way.
    if (!config.grpc && !config.http)
      throw protocols.error('must specify at least one protocol: grpc or http');
    return config;
  },
  createTraces(settings, config, next): TracesReceiver[] {
    const { limiter, identity } = settings.host;
    const receiverSettings = { logger: settings.logger, next, limiter, identity };
    const out: TracesReceiver[] = [];
    if (config.grpc) {
      // 0 means the grpc-go default, 4 MiB, in the Collector's configgrpc.
      const mib = config.grpc.maxRecvMsgSizeMib === 0 ? 4 : config.grpc.maxRecvMsgSizeMib;
      out.push(
        new OtlpGrpcReceiver(
          {
            endpoint: config.grpc.endpoint,
            maxRecvMsgSizeBytes: Math.floor(mib * MIB),
            tls: config.grpc.tls,
          },
          receiverSettings,
        ),
      );
    }
    if (config.http) {
      out.push(
        new OtlpHttpReceiver(
          {
            endpoint: config.http.endpoint,
            maxRequestBodyBytes: config.http.maxRequestBodySize,
            corsAllowedOrigins: config.http.corsAllowedOrigins,
            tracesPath: config.http.tracesUrlPath,
            tls: config.http.tls,
          },
          receiverSettings,
        ),
      );
    }
    return out;
  },
};
