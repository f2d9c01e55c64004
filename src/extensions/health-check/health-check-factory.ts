import type { ExtensionFactory } from '../../pipeline/component-factory.js';
import type { ConfigNode } from '../../pipeline/config-node.js';
import { readListenEndpoint } from '../../pipeline/read-endpoint.js';
import type { HealthCheckConfig } from './health-check-extension.js';
import { HealthCheckExtension } from './health-check-extension.js';

/**
 * 0.0.0.0:13133, the Collector's long-standing default (recent Collectors bind localhost unless a
 * feature gate is turned off): a Kubernetes probe reaches the pod's IP, not its loopback.
 */
const DEFAULT_ENDPOINT = '0.0.0.0:13133';

/** The Collector `health_check` extension: `endpoint`, `path` (`/`), `response_body.healthy/unhealthy`. */
export const healthCheckExtensionFactory: ExtensionFactory<HealthCheckConfig> = {
  type: 'health_check',
  createDefaultConfig: () => ({
    endpoint: { host: '0.0.0.0', port: 13133 },
    path: '/',
    responseBody: undefined,
  }),
  parseConfig(node: ConfigNode): HealthCheckConfig {
    const pathNode = node.get('path');
    const path = pathNode.string('/');
    if (!path.startsWith('/')) throw pathNode.error(`"${path}" is not a path: it must start with /`);
    const body = node.get('response_body');
    return {
      endpoint: readListenEndpoint(node.get('endpoint'), DEFAULT_ENDPOINT),
      path,
      responseBody: body.absent
        ? undefined
        : { healthy: body.get('healthy').string(''), unhealthy: body.get('unhealthy').string('') },
    };
  },
  create: (_settings, config) => new HealthCheckExtension(config),
};
