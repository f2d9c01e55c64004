import type { ListenAddress } from '../net/listen-address.js';
import { parseListenAddress } from '../net/listen-address.js';
import type { ConfigNode } from './config-node.js';

/** A server's `endpoint: host:port`, as the Collector's `confighttp`/`configgrpc` server settings take it. */
export function readListenEndpoint(node: ConfigNode, fallback: string): ListenAddress {
  const text = node.string(fallback);
  try {
    return parseListenAddress(text, 'endpoint');
  } catch {
    throw node.error(`"${text}" is not a listen address: expected HOST:PORT, e.g. 0.0.0.0:4317 or :4317`);
  }
}

/** `cors: { allowed_origins: [...] }` of a Collector HTTP server; absent disables CORS. */
export function readCorsOrigins(node: ConfigNode): string[] {
  return node.get('allowed_origins').stringList();
}
