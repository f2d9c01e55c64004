import { readFile } from 'node:fs/promises';
import { createSecureContext } from 'node:tls';
import type { ListenAddress } from './listen-address.js';
import { ListenError, formatListenAddress } from './listen-address.js';

/** A server's TLS files, as the Collector's `configtls.ServerConfig` names them. */
export interface TlsServerFiles {
  /** PEM certificate chain (`cert_file`). */
  certFile: string;
  /** PEM private key (`key_file`). */
  keyFile: string;
  /** PEM CA bundle (`client_ca_file`): when set, clients must present a certificate it signed. */
  clientCaFile?: string;
}

/** The files' contents, read and checked once at start. */
export interface TlsServerCredentials {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
}

/**
 * Reads a listener's TLS files and checks that the key fits the certificate, so a wrong path or
 * pair stops start-up with one line naming the listener and the file — not the first handshake.
 */
export async function loadTlsServerCredentials(
  files: TlsServerFiles,
  component: string,
  address: ListenAddress,
): Promise<TlsServerCredentials> {
  const fail = (problem: string): ListenError =>
    new ListenError(`cannot listen on ${formatListenAddress(address)} for ${component}: TLS: ${problem}`);
  const read = async (path: string, what: string): Promise<Buffer> => {
    try {
      return await readFile(path);
    } catch (error) {
      throw fail(
        `cannot read ${what} "${path}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
  };
  const credentials: TlsServerCredentials = {
    cert: await read(files.certFile, 'cert_file'),
    key: await read(files.keyFile, 'key_file'),
    ...(files.clientCaFile !== undefined ? { ca: await read(files.clientCaFile, 'client_ca_file') } : {}),
  };
  try {
    createSecureContext({ cert: credentials.cert, key: credentials.key, ca: credentials.ca });
  } catch (error) {
    throw fail(`cert_file "${files.certFile}" and key_file "${files.keyFile}": ${(error as Error).message}`);
  }
  return credentials;
}

/** Node's `https.createServer` options for the credentials (mutual TLS when a client CA is set). */
export function httpsServerOptions(credentials: TlsServerCredentials): {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
} {
  const { cert, key, ca } = credentials;
  return ca ? { cert, key, ca, requestCert: true, rejectUnauthorized: true } : { cert, key };
}
