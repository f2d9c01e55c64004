import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CertFiles {
  dir: string;
  certFile: string;
  keyFile: string;
  /** The certificate's PEM: also its own CA, to trust it in a client. */
  cert: Buffer;
  key: Buffer;
}

/**
 * A self-signed certificate for `localhost` and 127.0.0.1 (P-256, one day), made with the openssl
 * command into a fresh temporary folder. `openssl req -x509` marks it a CA, so it can also serve
 * as the `client_ca_file` that trusts itself.
 */
export function selfSignedCert(name = 'server'): CertFiles {
  const dir = mkdtempSync(join(tmpdir(), `tracehouse-tls-${name}-`));
  const certFile = join(dir, `${name}.crt`);
  const keyFile = join(dir, `${name}.key`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      `/CN=${name}`,
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { dir, certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
}
