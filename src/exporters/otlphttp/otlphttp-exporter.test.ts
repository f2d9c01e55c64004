import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { gunzipSync } from 'node:zlib';
import { pino } from 'pino';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { PermanentError, RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext, TracesConsumer } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import { silentLogger } from '../../logging/logger.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequest } from '../../otlp/protobuf/decode-traces.js';
import { ConfigNode } from '../../pipeline/config-node.js';
import { DEFAULT_OTLP_HTTP_MAX_BODY, OtlpHttpReceiver } from '../../receivers/otlp/otlp-http-receiver.js';
import { InflightLimiter } from '../../receivers/shared/inflight-limiter.js';
import { CaptureExporter } from '../../../test/support/capture-exporter.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';
import type { TracesExporter } from '../traces-exporter.js';
import { otlpHttpExporterFactory } from './otlphttp-exporter-factory.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const TENANT: ConsumeContext = { tenant: 'single-tenant' };
const TRACE = '0af7651916cd43dd8448eb211c80319c';

/** Tracehouse's own OTLP/HTTP receiver on a free loopback port; returns its base URL. */
async function startReceiver(next: TracesConsumer): Promise<string> {
  const receiver = new OtlpHttpReceiver(
    {
      endpoint: { host: '127.0.0.1', port: 0 },
      maxRequestBodyBytes: DEFAULT_OTLP_HTTP_MAX_BODY,
      corsAllowedOrigins: [],
      tracesPath: '/v1/traces',
    },
    { logger: silentLogger(), next, limiter: new InflightLimiter(64 << 20) },
  );
  await receiver.start();
  cleanups.push(() => receiver.shutdown());
  return `http://${receiver.address()}`;
}

async function exporterFor(yaml: string, logger: Logger = silentLogger()): Promise<TracesExporter> {
  const config = otlpHttpExporterFactory.parseConfig(new ConfigNode(parseYaml(yaml), 'exporters.otlphttp'));
  const exporter = await otlpHttpExporterFactory.createTraces(
    { id: 'otlphttp', logger, host: { limiter: new InflightLimiter(1) } },
    config,
  );
  await exporter.start();
  cleanups.push(() => exporter.shutdown());
  return exporter;
}

/** Fails the first `failures` batches with `error`, then hands on to `next`; counts attempts. */
class FlakyConsumer implements TracesConsumer {
  attempts = 0;
  constructor(
    private failures: number,
    private readonly error: Error,
    private readonly next: TracesConsumer,
  ) {}
  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    this.attempts++;
    if (this.failures-- > 0) return Promise.reject(this.error);
    return this.next.consumeTraces(data, context);
  }
}

const NO_QUEUE = 'sending_queue: { enabled: false }';

describe('otlphttp exporter against the OTLP/HTTP receiver', () => {
  for (const [encoding, compression] of [
    ['proto', 'gzip'],
    ['proto', 'none'],
    ['json', 'gzip'],
    ['json', 'none'],
  ] as const) {
    it(`delivers every field in ${encoding} with compression ${compression}`, async () => {
      const capture = new CaptureExporter();
      const base = await startReceiver(capture);
      const exporter = await exporterFor(
        `{ endpoint: "${base}", encoding: ${encoding}, compression: ${compression}, ${NO_QUEUE} }`,
      );
      await exporter.consumeTraces(everyKindBatch(TRACE), { tenant: 'team-a' });
      expect(capture.allData()).toEqual(everyKindBatch(TRACE));
      expect(capture.batches[0].context.tenant).toBe('team-a');
    });
  }

  it('honours a 503 with Retry-After, then delivers on the next attempt', async () => {
    const capture = new CaptureExporter();
    const flaky = new FlakyConsumer(1, new RetryableError('busy', 1000), capture);
    const base = await startReceiver(flaky);
    const exporter = await exporterFor(
      `{ endpoint: "${base}/", retry_on_failure: { initial_interval: 10ms }, ${NO_QUEUE} }`,
    );
    const started = Date.now();
    await exporter.consumeTraces(oneSpanRequest(), TENANT);
    // The receiver answered 503 with Retry-After: 1, which outweighs the 10ms back-off.
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(flaky.attempts).toBe(2);
    expect(capture.spanCount()).toBe(1);
  });

  it('gives up at once on a 400: a permanent error, one attempt', async () => {
    const flaky = new FlakyConsumer(99, new PermanentError('bad data'), new CaptureExporter());
    const base = await startReceiver(flaky);
    const exporter = await exporterFor(
      `{ traces_endpoint: "${base}/v1/traces", retry_on_failure: { initial_interval: 10ms }, ${NO_QUEUE} }`,
    );
    const error = await exporter.consumeTraces(oneSpanRequest(), TENANT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermanentError);
    expect((error as Error).message).toMatch(/HTTP 400: bad data$/);
    expect(flaky.attempts).toBe(1);
  });

  it('logs the rejected count of a partial success and counts the batch as sent', async () => {
    const capture = new CaptureExporter();
    const base = await startReceiver(capture);
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    for (const encoding of ['proto', 'json']) {
      const exporter = await exporterFor(
        `{ endpoint: "${base}", encoding: ${encoding}, ${NO_QUEUE} }`,
        logger,
      );
      const data = oneSpanRequest();
      data[0].scopeSpans[0].spans.push({ ...data[0].scopeSpans[0].spans[0], spanId: '' });
      await exporter.consumeTraces(data, TENANT);
    }
    expect(capture.spanCount()).toBe(2);
    const warnings = lines.map((l) => JSON.parse(l) as { msg: string; rejected: number });
    expect(warnings.map((w) => [w.msg, w.rejected])).toEqual([
      ['backend rejected spans', 1],
      ['backend rejected spans', 1],
    ]);
  });
});

describe('otlphttp exporter request', () => {
  it('sends the configured headers, content type, encoding and gzip body', async () => {
    const seen: { headers: http.IncomingHttpHeaders; url: string; body: Buffer }[] = [];
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, url: req.url ?? '', body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const { port } = server.address() as net.AddressInfo;
    const exporter = await exporterFor(`
endpoint: http://127.0.0.1:${port}/prefix
headers: { Authorization: "Bearer s3cret", x-team: checkout }
${NO_QUEUE}`);
    await exporter.consumeTraces(oneSpanRequest(), TENANT);
    const [request] = seen;
    expect(request.url).toBe('/prefix/v1/traces');
    expect(request.headers).toMatchObject({
      authorization: 'Bearer s3cret',
      'x-team': 'checkout',
      'content-type': 'application/x-protobuf',
      'content-encoding': 'gzip',
    });
    expect(request.headers['x-scope-orgid']).toBeUndefined(); // the default tenant is not sent
    expect(decodeExportTraceServiceRequest(gunzipSync(request.body))).toEqual(oneSpanRequest());
  });
});

describe('otlphttp exporter timeout', () => {
  it('gives up an attempt after timeout, as a retryable error', async () => {
    const server = http.createServer(() => undefined); // reads the request, never answers
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
    cleanups.push(() => server.closeAllConnections());
    const { port } = server.address() as net.AddressInfo;
    const exporter = await exporterFor(
      `{ endpoint: "http://127.0.0.1:${port}", timeout: 200ms, retry_on_failure: { enabled: false }, ${NO_QUEUE} }`,
    );
    const error = await exporter.consumeTraces(oneSpanRequest(), TENANT).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryableError);
    expect((error as Error).message).toMatch(/no answer within 200 ms$/);
  });
});

describe('otlphttp exporter over TLS', () => {
  it('verifies a self-signed server with ca_file, and refuses it without', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracehouse-otlphttp-tls-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ], { stdio: 'ignore' }); // prettier-ignore
    const capture = new CaptureExporter();
    const plain = new URL(await startReceiver(capture));
    // TLS terminates here and the bytes go on to the real receiver.
    const proxy = tls.createServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => {
      const upstream = net.connect(Number(plain.port), '127.0.0.1');
      socket.pipe(upstream).pipe(socket);
      socket.on('error', () => upstream.destroy());
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => proxy.close(() => resolve())));
    const url = `https://127.0.0.1:${(proxy.address() as net.AddressInfo).port}`;

    const trusted = await exporterFor(`{ endpoint: "${url}", tls: { ca_file: ${cert} }, ${NO_QUEUE} }`);
    await trusted.consumeTraces(oneSpanRequest(), TENANT);
    expect(capture.spanCount()).toBe(1);

    const untrusted = await exporterFor(
      `{ endpoint: "${url}", retry_on_failure: { enabled: false }, ${NO_QUEUE} }`,
    );
    const error = await untrusted.consumeTraces(oneSpanRequest(), TENANT).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/self.signed certificate/);
  });
});
