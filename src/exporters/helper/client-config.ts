import { readFileSync } from 'node:fs';
import type { ConfigNode } from '../../pipeline/config-node.js';

/** `tls` of a Collector client (configtls.ClientConfig): files are read at start-up, so a missing one fails fast. */
export interface ClientTlsConfig {
  insecure: boolean;
  insecureSkipVerify: boolean;
  ca: Buffer | undefined;
  cert: Buffer | undefined;
  key: Buffer | undefined;
  serverNameOverride: string | undefined;
}

/** No files, no overrides: TLS with the system's CAs, or plaintext when `insecure`. */
export function plainClientTls(insecure: boolean): ClientTlsConfig {
  return {
    insecure,
    insecureSkipVerify: false,
    ca: undefined,
    cert: undefined,
    key: undefined,
    serverNameOverride: undefined,
  };
}

export function parseClientTls(node: ConfigNode): ClientTlsConfig {
  const file = (key: string): Buffer | undefined => {
    const child = node.get(key);
    const path = child.optionalString();
    if (path === undefined) return undefined;
    try {
      return readFileSync(path);
    } catch (error) {
      throw child.error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
  };
  const config: ClientTlsConfig = {
    insecure: node.get('insecure').bool(false),
    insecureSkipVerify: node.get('insecure_skip_verify').bool(false),
    ca: file('ca_file'),
    cert: file('cert_file'),
    key: file('key_file'),
    serverNameOverride: node.get('server_name_override').optionalString(),
  };
  if ((config.cert === undefined) !== (config.key === undefined))
    throw node.error('cert_file and key_file must be given together');
  return config;
}

/** `headers`: a mapping of header names to string values sent with every export. */
export function parseHeaders(node: ConfigNode): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of node.keys()) out[key] = node.get(key).string();
  return out;
}

/** `compression`: gzip (the Collector's default for its OTLP exporters) or none. */
export function parseCompression(node: ConfigNode): 'gzip' | 'none' {
  const text = node.string('gzip');
  if (text === '') return 'none';
  return node.oneOf(['gzip', 'none'] as const, 'gzip');
}
