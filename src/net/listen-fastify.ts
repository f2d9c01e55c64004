import type { FastifyInstance } from 'fastify';
import type { ListenAddress } from './listen-address.js';
import { formatListenAddress, listenErrorFor } from './listen-address.js';

/** Binds a Fastify app, turning a bind failure into the one-line `ListenError`. */
export async function listenFastify(
  app: FastifyInstance,
  endpoint: ListenAddress,
  component: string,
): Promise<void> {
  try {
    await app.listen({ host: endpoint.host, port: endpoint.port });
  } catch (error) {
    throw listenErrorFor(component, endpoint, error);
  }
}

/** The address an app is bound to (the real port when configured with 0), else the configured one. */
export function boundAddress(app: FastifyInstance | undefined, configured: ListenAddress): string {
  const bound = app?.server.address();
  if (bound && typeof bound === 'object')
    return formatListenAddress({ host: bound.address, port: bound.port });
  return formatListenAddress(configured);
}
