import type { ListenAddress } from '../net/listen-address.js';
import { parseListenAddress } from '../net/listen-address.js';
import type { TlsServerFiles } from '../net/tls-credentials.js';
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

/**
 * A server's `tls: { cert_file, key_file, client_ca_file }` (the Collector's `configtls.ServerConfig`);
 * left out, the listener is plaintext. Files are read when the listener starts.
 */
export function readServerTls(node: ConfigNode): TlsServerFiles | undefined {
  if (node.absent) return undefined;
  const certFile = node.get('cert_file').optionalString();
  const keyFile = node.get('key_file').optionalString();
  const clientCaFile = node.get('client_ca_file').optionalString();
  // The Collector refuses a server TLS block without a key pair the same way.
  if (certFile === undefined || keyFile === undefined)
    throw node.error('cert_file and key_file are both required for a server');
  return clientCaFile === undefined ? { certFile, keyFile } : { certFile, keyFile, clientCaFile };
}
