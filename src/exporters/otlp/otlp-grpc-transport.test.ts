import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import { attachRequestBytes } from '../../model/request-bytes.js';
import type { TracesData } from '../../model/span.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import type { TlsServerFiles } from '../../net/tls-credentials.js';
import { OtlpGrpcReceiver } from '../../receivers/otlp/otlp-grpc-receiver.js';
import { InflightLimiter } from '../../receivers/shared/inflight-limiter.js';
import { CaptureExporter } from '../../../test/support/capture-exporter.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';
import { selfSignedCert } from '../../../test/support/self-signed-cert.js';
import type { ClientTlsConfig } from '../helper/client-config.js';
import { plainClientTls } from '../helper/client-config.js';
import { OtlpGrpcTransport } from './otlp-grpc-transport.js';

/*
 * The otlp exporter's transport against Tracehouse's own OTLP/gRPC receiver (grpc-js underneath):
 * delivery, gzip, tenant, pass-through parts, TLS, and reconnecting after the server restarts.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `expect.stringMatching`, typed as the string it stands for (Vitest types its matchers `any`). */
const textMatching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

const PLAINTEXT: ClientTlsConfig = plainClientTls(true);
const SINGLE = { tenant: 'single-tenant' };
const oneSpanBatch = (name: string): TracesData => oneSpanRequest({ name });
const spanNames = (data: TracesData): string[] =>
  data.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)));

async function startReceiver(
  capture: CaptureExporter,
  port = 0,
  tls?: TlsServerFiles,
): Promise<OtlpGrpcReceiver> {
  const receiver = new OtlpGrpcReceiver(
    { endpoint: { host: '127.0.0.1', port }, maxRecvMsgSizeBytes: 4 << 20, ...(tls ? { tls } : {}) },
    { logger: silentLogger(), next: capture, limiter: new InflightLimiter(64 << 20) },
  );
  cleanups.push(() => receiver.shutdown());
  await receiver.start();
  return receiver;
}

async function transportTo(
  target: string,
  options: {
    tls?: Partial<ClientTlsConfig>;
    compression?: 'gzip' | 'none';
    headers?: Record<string, string>;
  } = {},
): Promise<OtlpGrpcTransport> {
  const transport = new OtlpGrpcTransport(
    {
      target,
      tls: { ...PLAINTEXT, ...options.tls },
      headers: options.headers ?? {},
      compression: options.compression ?? 'none',
    },
    silentLogger(),
  );
  await transport.start();
  cleanups.push(() => transport.shutdown());
  return transport;
}

describe('OtlpGrpcTransport against the Tracehouse OTLP/gRPC receiver', () => {
  it('delivers a batch, with the tenant, plain and gzipped', async () => {
    const capture = new CaptureExporter();
    const receiver = await startReceiver(capture);
    for (const compression of ['none', 'gzip'] as const) {
      const transport = await transportTo(receiver.address(), { compression });
      await transport.send(oneSpanBatch(`span-${compression}`), { tenant: 'team-a' }, 5000);
    }
    expect(spanNames(capture.allData())).toEqual(['span-none', 'span-gzip']);
    expect(capture.batches.map((b) => b.context.tenant)).toEqual(['team-a', 'team-a']);
  });

  it('sends pass-through bytes as the message their parts make together', async () => {
    const capture = new CaptureExporter();
    const receiver = await startReceiver(capture);
    const transport = await transportTo(receiver.address());
    const data: TracesData = [...oneSpanBatch('model-only')];
    // The parts, not the model, are what goes out: the receiver sees both spans.
    const parts = [oneSpanBatch('first'), oneSpanBatch('second')].map(encodeExportTraceServiceRequest);
    attachRequestBytes(data, parts);
    await transport.send(data, SINGLE, 5000);
    expect(spanNames(capture.allData())).toEqual(['first', 'second']);
  });

  it('fails with UNAVAILABLE (retryable) while the server is down and reconnects once it is back', async () => {
    const capture = new CaptureExporter();
    const first = await startReceiver(capture);
    const port = Number(first.address().split(':').pop());
    const transport = await transportTo(first.address());
    await transport.send(oneSpanBatch('before'), SINGLE, 5000);
    await first.shutdown();
    const down = await transport.send(oneSpanBatch('lost'), SINGLE, 5000).catch((e: unknown) => e);
    expect(down).toMatchObject({ name: 'RetryableError', message: textMatching(/UNAVAILABLE/) });
    await startReceiver(capture, port);
    await transport.send(oneSpanBatch('after'), SINGLE, 5000);
    expect(spanNames(capture.allData())).toEqual(['before', 'after']);
  });

  it('speaks TLS: trusts a given CA, checks the name (or the override), and can skip verification', async () => {
    const cert = selfSignedCert('grpc-exporter');
    const capture = new CaptureExporter();
    const receiver = await startReceiver(capture, 0, { certFile: cert.certFile, keyFile: cert.keyFile });
    const target = receiver.address();
    const tls = (extra: Partial<ClientTlsConfig>): Partial<ClientTlsConfig> => ({
      insecure: false,
      ...extra,
    });

    await (await transportTo(target, { tls: tls({ ca: cert.cert }) })).send(oneSpanBatch('ca'), SINGLE, 5000);
    const byName = await transportTo(target, {
      tls: tls({ ca: cert.cert, serverNameOverride: 'localhost' }),
    });
    await byName.send(oneSpanBatch('override'), SINGLE, 5000);
    const skip = await transportTo(target, { tls: tls({ insecureSkipVerify: true }) });
    await skip.send(oneSpanBatch('skip'), SINGLE, 5000);
    expect(spanNames(capture.allData())).toEqual(['ca', 'override', 'skip']);

    const untrusted = await transportTo(target, { tls: tls({}) });
    await expect(untrusted.send(oneSpanBatch('x'), SINGLE, 5000)).rejects.toMatchObject({
      name: 'RetryableError',
      message: textMatching(/UNAVAILABLE .*certificate/i),
    });
    const wrongName = await transportTo(target, {
      tls: tls({ ca: cert.cert, serverNameOverride: 'other.example' }),
    });
    await expect(wrongName.send(oneSpanBatch('x'), SINGLE, 5000)).rejects.toMatchObject({
      message: textMatching(/UNAVAILABLE .*other\.example/),
    });
    const plaintext = await transportTo(target);
    await expect(plaintext.send(oneSpanBatch('x'), SINGLE, 2000)).rejects.toMatchObject({
      name: 'RetryableError',
      message: textMatching(/UNAVAILABLE/),
    });
  });
});
