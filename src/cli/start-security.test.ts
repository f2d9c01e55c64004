import * as grpc from '@grpc/grpc-js';
import { execFileSync, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { encodeExportTraceServiceRequest } from '../otlp/protobuf/encode-traces.js';
import { rawGrpcExport } from '../../test/support/exporters.js';
import { LOOPBACK_LISTENERS, listeningAddresses } from '../../test/support/listening-addresses.js';
import { oneSpanRequest } from '../../test/support/one-span-request.js';
import { selfSignedCert } from '../../test/support/self-signed-cert.js';

/*
 * `tracehouse start` with the security flags, as users run it (the built bin): TLS on all four
 * listeners from --tls-cert-file/--tls-key-file, bearer tokens from --auth-tokens on ingest and
 * query, --multitenancy-required, and start-up refusals in one line.
 */
const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'dist/src/cli/main.js');
const cert = selfSignedCert('server');
const TRACE_ID = '5b8efff798038103d269b633813fc60c';

beforeAll(() => {
  if (!existsSync(bin)) execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root });
}, 120_000);

const children: ChildProcessWithoutNullStreams[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

function run(args: string[]) {
  const cwd = mkdtempSync(join(tmpdir(), 'tracehouse-cli-security-'));
  const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '' }, cwd });
  children.push(child);
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, cwd, stderr: () => err, exit };
}

/** HTTPS trusting the test certificate; resolves with status and body. */
function https(url: string, headers: Record<string, string> = {}, body?: string) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      { ca: cert.cert, method: body === undefined ? 'GET' : 'POST', headers },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const NOW_NS = BigInt(Date.now()) * 1_000_000n;
const SPAN_JSON = JSON.stringify({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'secure-cli' } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: TRACE_ID,
              spanId: 'eee19b7ec3c1b174',
              name: 'secure-span',
              startTimeUnixNano: String(NOW_NS),
              endTimeUnixNano: String(NOW_NS + 1000n),
            },
          ],
        },
      ],
    },
  ],
});

describe('tracehouse start: TLS, bearer tokens, multitenancy', () => {
  it('serves every listener over TLS and requires a bearer token for ingest and query', async () => {
    const tokens = join(mkdtempSync(join(tmpdir(), 'tracehouse-tokens-')), 'tokens.yaml');
    writeFileSync(
      tokens,
      'cli-token-team-a-0001: team-a\ncli-token-sdk-only-002: { tenant: team-a, scopes: [ingest] }\n',
    );
    const r = run([
      'start',
      ...LOOPBACK_LISTENERS,
      '--tls-cert-file',
      cert.certFile,
      '--tls-key-file',
      cert.keyFile,
      '--auth-tokens',
      tokens,
      '--multitenancy-required',
      '--flush-interval',
      '100ms',
    ]);
    const at = await listeningAddresses(r.stderr, () => r.child.exitCode !== null);
    const json = { 'content-type': 'application/json' };
    const token = { authorization: 'Bearer cli-token-team-a-0001' };

    expect((await https(`https://${at.http}/ready`)).status).toBe(200);
    const noToken = await https(`https://${at['otlp-http']}/v1/traces`, json, SPAN_JSON);
    expect(noToken.status).toBe(401);
    expect(
      (await https(`https://${at['otlp-http']}/v1/traces`, { ...json, ...token }, SPAN_JSON)).status,
    ).toBe(200);
    expect((await https(`https://${at.zipkin}/api/v2/spans`, { ...json, ...token }, '[]')).status).toBe(202);
    const metadata = new grpc.Metadata();
    metadata.set('authorization', 'Bearer cli-token-sdk-only-002');
    const body = encodeExportTraceServiceRequest(oneSpanRequest());
    const credentials = grpc.credentials.createSsl(cert.cert);
    expect((await rawGrpcExport(at['otlp-grpc'], body, { credentials, metadata })).error).toBeNull();

    const trace = `https://${at.http}/api/traces/${TRACE_ID}`;
    expect((await https(trace)).status).toBe(401);
    expect((await https(trace, { authorization: 'Bearer cli-token-sdk-only-002' })).status).toBe(403);
    // Queryable once flushed; under a loaded test run the first flush (and migration) can take a while.
    await expect.poll(async () => (await https(trace, token)).status, { timeout: 45_000 }).toBe(200);
    const metrics = (await https(`https://${at.http}/metrics`)).body;
    expect(metrics).toContain(
      'tracehouse_receiver_accepted_spans_total{receiver="otlp-http",tenant="team-a"} 1',
    );
    expect(metrics).toContain(
      'tracehouse_receiver_refused_requests_total{receiver="otlp-http",reason="unauthenticated"} 1',
    );

    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
  }, 90_000);

  it.each([
    [['--tls-cert-file', cert.certFile], 2, '--tls-cert-file and --tls-key-file must be given together'],
    [
      ['--tls-cert-file', '/nope.crt', '--tls-key-file', cert.keyFile],
      1,
      'for http: TLS: cannot read cert_file "/nope.crt": ENOENT',
    ],
    [
      ['--auth-tokens', '/nope/tokens.yaml'],
      1,
      'invalid configuration: --auth-tokens /nope/tokens.yaml: cannot read',
    ],
    [['--default-tenant', 'a b'], 2, '--default-tenant: invalid tenant "a b"'],
  ])('refuses %j in one line (exit %i)', async (args, code, message) => {
    const r = run(['start', ...LOOPBACK_LISTENERS, ...args]);
    expect(await r.exit).toBe(code);
    expect(r.stderr()).toContain(message);
    expect(r.stderr().trim().split('\n')).toHaveLength(1);
  });
});
