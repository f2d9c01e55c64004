import * as grpc from '@grpc/grpc-js';
import { request } from 'node:https';
import type { RequestOptions } from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiServer } from '../api/api-server.js';
import { encodeExportTraceServiceRequest } from '../otlp/protobuf/encode-traces.js';
import { parseConfigText } from '../pipeline/load-config.js';
import { builtinComponents } from '../pipeline/builtin-components.js';
import { receiverAddress, runConfigText } from '../pipeline/run-config.test-support.js';
import type { Service } from '../pipeline/service.js';
import { rawGrpcExport } from '../../test/support/exporters.js';
import { oneSpanRequest } from '../../test/support/one-span-request.js';
import { selfSignedCert } from '../../test/support/self-signed-cert.js';
import { ListenError } from './listen-address.js';
import { loadTlsServerCredentials } from './tls-credentials.js';

/*
 * TLS on every listener: the receivers from the Collector's per-receiver `tls: { cert_file,
 * key_file, client_ca_file }`, the query API from credentials `tracehouse start` loads for
 * --tls-cert-file/--tls-key-file. Certificates are made with openssl for each run.
 */

const server = selfSignedCert('server');
const LOOPBACK = { host: '127.0.0.1', port: 0 };

let service: Service | undefined;
let api: ApiServer | undefined;
afterEach(async () => {
  await service?.shutdown();
  await api?.shutdown();
  service = api = undefined;
});

function tlsConfig(extra = ''): string {
  return `
receivers:
  otlp:
    protocols:
      grpc: { endpoint: "127.0.0.1:0", tls: { cert_file: "\${env:CERT}", key_file: "\${env:KEY}"${extra} } }
      http: { endpoint: "127.0.0.1:0", tls: { cert_file: "\${env:CERT}", key_file: "\${env:KEY}"${extra} } }
  zipkin: { endpoint: "127.0.0.1:0", tls: { cert_file: "\${env:CERT}", key_file: "\${env:KEY}"${extra} } }
exporters: { nop: }
service: { pipelines: { traces: { receivers: [otlp, zipkin], exporters: [nop] } } }
`;
}
const ENV = { CERT: server.certFile, KEY: server.keyFile };

/** An HTTPS request trusting the test certificate; resolves with the status or rejects on a TLS failure. */
function httpsRequest(url: string, options: RequestOptions & { body?: string } = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { ca: server.cert, ...options }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const json = {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: '{"resourceSpans":[]}',
};

describe('TLS', () => {
  it("serves OTLP/HTTP, Zipkin and OTLP/gRPC over TLS from the receivers' tls keys, and refuses plaintext", async () => {
    service = await runConfigText(tlsConfig(), ENV);
    const http = receiverAddress(service, 'otlp-http');
    const zipkin = receiverAddress(service, 'zipkin');
    expect(await httpsRequest(`https://${http}/v1/traces`, json)).toBe(200);
    expect(await httpsRequest(`https://${zipkin}/api/v2/spans`, { ...json, body: '[]' })).toBe(202);
    await expect(fetch(`http://${http}/v1/traces`, json)).rejects.toThrow();

    const grpcAddress = receiverAddress(service, 'otlp-grpc');
    const body = encodeExportTraceServiceRequest(oneSpanRequest());
    const secure = await rawGrpcExport(grpcAddress, body, {
      credentials: grpc.credentials.createSsl(server.cert),
    });
    expect(secure.error).toBeNull();
    const plain = await rawGrpcExport(grpcAddress, body, {
      channel: { 'grpc.initial_reconnect_backoff_ms': 100 },
    });
    expect(plain.error?.code).toBe(grpc.status.UNAVAILABLE);
  });

  it('requires a client certificate signed by client_ca_file (mutual TLS)', async () => {
    const client = selfSignedCert('client');
    service = await runConfigText(tlsConfig(', client_ca_file: "${env:CLIENT_CA}"'), {
      ...ENV,
      CLIENT_CA: client.certFile,
    });
    const http = receiverAddress(service, 'otlp-http');
    expect(
      await httpsRequest(`https://${http}/v1/traces`, { ...json, cert: client.cert, key: client.key }),
    ).toBe(200);
    await expect(httpsRequest(`https://${http}/v1/traces`, json)).rejects.toThrow();
    const body = encodeExportTraceServiceRequest(oneSpanRequest());
    const grpcAddress = receiverAddress(service, 'otlp-grpc');
    const withCert = grpc.credentials.createSsl(server.cert, client.key, client.cert);
    expect((await rawGrpcExport(grpcAddress, body, { credentials: withCert })).error).toBeNull();
    const without = await rawGrpcExport(grpcAddress, body, {
      credentials: grpc.credentials.createSsl(server.cert),
    });
    expect(without.error).not.toBeNull();
  });

  it('serves the query API over HTTPS', async () => {
    const credentials = await loadTlsServerCredentials(server, 'http', LOOPBACK);
    api = new ApiServer({ endpoint: LOOPBACK, tls: credentials });
    await api.start();
    api.markReady();
    expect(await httpsRequest(`https://${api.address()}/ready`)).toBe(200);
    expect(await httpsRequest(`https://${api.address()}/metrics`)).toBe(200);
  });

  it('stops start-up in one line naming the listener and the file when a TLS file is missing or does not fit', async () => {
    const missing = { certFile: server.certFile, keyFile: `${server.dir}/nope.key` };
    await expect(loadTlsServerCredentials(missing, 'http', LOOPBACK)).rejects.toThrow(
      new ListenError(
        `cannot listen on 127.0.0.1:0 for http: TLS: cannot read key_file "${missing.keyFile}": ENOENT`,
      ),
    );
    const other = selfSignedCert('other');
    const mismatched = { certFile: server.certFile, keyFile: other.keyFile };
    await expect(loadTlsServerCredentials(mismatched, 'otlp-grpc', LOOPBACK)).rejects.toThrow(
      /for otlp-grpc: TLS: cert_file .* and key_file/,
    );
    await expect(runConfigText(tlsConfig(), { CERT: server.certFile, KEY: missing.keyFile })).rejects.toThrow(
      ListenError,
    );
  });

  it('refuses a receiver tls block without both cert_file and key_file, naming its path', () => {
    const text = tlsConfig().replace(', key_file: "${env:KEY}"', '');
    expect(() => parseConfigText(text, ENV, builtinComponents())).toThrow(
      'receivers.otlp.protocols.grpc.tls: cert_file and key_file are both required for a server',
    );
    const unknown = tlsConfig(', min_version: "1.3"');
    expect(() => parseConfigText(unknown, ENV, builtinComponents())).toThrow(/unknown key "min_version"/);
  });
});
