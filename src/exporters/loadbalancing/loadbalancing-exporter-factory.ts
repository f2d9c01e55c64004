import { join } from 'node:path';
import type { ComponentSettings, ExporterFactory } from '../../pipeline/component-factory.js';
import { ConfigError } from '../../pipeline/config-error.js';
import { ConfigNode } from '../../pipeline/config-node.js';
import type { OtlpExporterConfig } from '../otlp/otlp-exporter-factory.js';
import { otlpExporterFactory } from '../otlp/otlp-exporter-factory.js';
import type { TracesExporter } from '../traces-exporter.js';
import { HashRing } from './hash-ring.js';
import { LoadBalancingExporter } from './loadbalancing-exporter.js';
import type { RoutingKey } from './split-by-backend.js';

export interface LoadBalancingExporterConfig {
  routingKey: RoutingKey;
  /** `resolver.static.hostnames`, deduplicated and sorted as the Collector's static resolver does. */
  hostnames: string[];
  /** `protocol.otlp`: the template every backend's `otlp` exporter is built from; its target is replaced. */
  otlp: OtlpExporterConfig;
}

/** The port a hostname without one gets (the Collector's default OTLP/gRPC port). */
const DEFAULT_PORT = 4317;
const HOSTNAME = /^(?:\[[0-9a-fA-F:.]+\]|[^\s/:[\]]+)(?::\d{1,5})?$/;

/**
 * The Collector `loadbalancing` exporter: `routing_key` (traceID, the default, or service),
 * `resolver.static.hostnames` (required; the `dns` and `k8s` resolvers are not offered), and
 * `protocol.otlp` with every key of the `otlp` exporter except `endpoint`, which each hostname
 * replaces.
 */
export const loadBalancingExporterFactory: ExporterFactory<LoadBalancingExporterConfig> = {
  type: 'loadbalancing',
  createDefaultConfig: () => ({
    routingKey: 'traceID',
    hostnames: [],
    otlp: otlpExporterFactory.createDefaultConfig(),
  }),
  parseConfig(node: ConfigNode): LoadBalancingExporterConfig {
    const routingKey = node.get('routing_key').oneOf(['traceID', 'service'] as const, 'traceID');
    const resolver = node.get('resolver');
    if (resolver.absent)
      throw resolver.error('is required: list the backends under resolver.static.hostnames');
    for (const other of ['dns', 'k8s', 'aws_cloud_map'])
      if (resolver.has(other))
        throw resolver.get(other).error('is not supported by Tracehouse: use resolver.static.hostnames');
    const list = resolver.get('static').get('hostnames');
    const hostnames = [...new Set(list.items().map(readHostname))].sort();
    if (hostnames.length === 0) throw list.error('must list at least one backend');
    return { routingKey, hostnames, otlp: parseOtlpTemplate(node.get('protocol').get('otlp')) };
  },
  async createTraces(settings, config): Promise<TracesExporter> {
    const backends = new Map<string, TracesExporter>();
    for (const hostname of config.hostnames) {
      const target = /:\d+$/.test(hostname) ? hostname : `${hostname}:${DEFAULT_PORT}`;
      const backend: ComponentSettings = {
        ...settings,
        id: `${settings.id} → ${target}`,
        logger: settings.logger.child({ backend: target }),
      };
      // A persistent queue is one write-ahead log per backend: each gets its own folder under `storage`.
      const { storage } = config.otlp.queue;
      const queue =
        storage === undefined
          ? config.otlp.queue
          : { ...config.otlp.queue, storage: join(storage, target.replace(/[^\w.-]/g, '_')) };
      backends.set(
        hostname,
        await otlpExporterFactory.createTraces(backend, { ...config.otlp, target, queue }),
      );
    }
    return new LoadBalancingExporter(
      settings.id,
      new HashRing(config.hostnames),
      backends,
      config.routingKey,
    );
  },
};

function readHostname(item: ConfigNode): string {
  const text = item.string().trim();
  if (!HOSTNAME.test(text))
    throw item.error(`"${text}" is not a backend: expected host or host:port, e.g. tempo-1:4317`);
  return text;
}

/**
 * Reads `protocol.otlp` with the `otlp` exporter's own parser, so both take the same keys with
 * the same defaults and errors. That parser requires `endpoint`, so a placeholder stands in; a
 * user's `endpoint` is refused rather than silently replaced.
 */
function parseOtlpTemplate(node: ConfigNode): OtlpExporterConfig {
  const raw: unknown = node.value ?? {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw node.error('expected a mapping of the otlp exporter’s keys');
  if (Object.hasOwn(raw, 'endpoint'))
    throw new ConfigError(
      `${node.path}.endpoint`,
      'must not be set: each backend of resolver.static.hostnames is the endpoint',
    );
  // Its own tree, checked for unknown keys here: the config's root never sees it.
  const template = new ConfigNode({ ...raw, endpoint: 'placeholder:4317' }, node.path);
  const config = otlpExporterFactory.parseConfig(template);
  template.checkUnknownKeys();
  return config;
}
