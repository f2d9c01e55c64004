import { plainClientTls } from '../helper/client-config.js';
import { constants as h2, createServer } from 'node:http2';
import type { Http2Server, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import * as grpc from '@grpc/grpc-js';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import type { Logger } from '../../logging/logger.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequest } from '../../otlp/protobuf/decode-traces.js';
import { encodeRpcStatus } from '../../otlp/protobuf/rpc-status.js';
import { encodeExportTraceServiceResponse } from '../../otlp/protobuf/trace-service-response.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';
import { EXPORTER_HELPER_DEFAULTS } from '../helper/exporter-helper-config.js';
import { sendWithRetry } from '../helper/send-with-retry.js';
import { OtlpGrpcTransport } from './otlp-grpc-transport.js';

/*
 * How calls end, against a plain grpc-js server (statuses, RetryInfo, deadlines, metadata, gzip,
 * partial success) and a bare node:http2 server (what only a non-gRPC peer or proxy does: HTTP
 * errors, trailers-only answers, stream resets). Mapped as gRPC over HTTP2 and the gRPC spec's
 * HTTP→gRPC table say, then to retryable or permanent as the OTLP specification says.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** `expect.stringMatching`, typed as the string it stands for (Vitest types its matchers `any`). */
const textMatching = (pattern: RegExp): string => expect.stringMatching(pattern) as string;

type Handler = (call: grpc.ServerUnaryCall<Buffer, Buffer>, done: grpc.sendUnaryData<Buffer>) => void;
const identity = (b: Buffer): Buffer => b;
const batch: TracesData = oneSpanRequest({ name: 'x' });
const ctx = { tenant: 'single-tenant' };

/** A grpc-js server whose Export runs `handler`. */
async function grpcServer(handler: Handler): Promise<string> {
  const server = new grpc.Server();
  server.addService(
    {
      Export: {
        path: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
      },
    },
    { Export: handler },
  );
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) =>
      e ? reject(e) : resolve(p),
    ),
  );
  cleanups.push(() => new Promise((resolve) => server.tryShutdown(() => resolve())));
  return `127.0.0.1:${port}`;
}

/** A bare HTTP/2 server answering every stream with `answer`. */
async function h2Server(
  answer: (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => void,
): Promise<string> {
  const server: Http2Server = createServer();
  server.on('stream', (stream, headers) => {
    stream.on('error', () => {}); // a reset we sent ourselves
    stream.resume();
    answer(stream, headers);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function transportTo(
  target: string,
  options: { compression?: 'gzip' | 'none'; headers?: Record<string, string>; logger?: Logger } = {},
): Promise<OtlpGrpcTransport> {
  const transport = new OtlpGrpcTransport(
    {
      target,
      tls: plainClientTls(true),
      headers: options.headers ?? {},
      compression: options.compression ?? 'none',
    },
    options.logger ?? silentLogger(),
  );
  await transport.start();
  cleanups.push(() => transport.shutdown());
  return transport;
}

const failure = (transport: OtlpGrpcTransport, timeoutMs = 5000): Promise<unknown> =>
  transport.send(batch, ctx, timeoutMs).then(
    () => new Error('the send succeeded'),
    (error: unknown) => error,
  );

const ok: Handler = (_call, done) => done(null, encodeExportTraceServiceResponse());

describe('OtlpGrpcTransport against a grpc-js server', () => {
  it('sends metadata, the tenant, a deadline and gzip, and the server reads the same request', async () => {
    const seen: { metadata: grpc.MetadataValue[][]; deadline: grpc.Deadline; spans: string[] }[] = [];
    const target = await grpcServer((call, done) => {
      const m = call.metadata;
      seen.push({
        metadata: [m.get('authorization'), m.get('x-scope-orgid'), m.get('content-type')],
        deadline: call.getDeadline(),
        spans: decodeExportTraceServiceRequest(call.request).flatMap((r) =>
          r.scopeSpans[0].spans.map((s) => s.name),
        ),
      });
      ok(call, done);
    });
    const transport = await transportTo(target, {
      compression: 'gzip',
      headers: { Authorization: 'Bearer t' },
    });
    await transport.send(batch, { tenant: 'team-a' }, 3000);
    expect(seen).toHaveLength(1);
    expect(seen[0].metadata).toEqual([['Bearer t'], ['team-a'], []]);
    expect(seen[0].spans).toEqual(['x']);
    const left = Number(seen[0].deadline) - Date.now();
    expect(left).toBeGreaterThan(1000);
    expect(left).toBeLessThanOrEqual(3000);
  });

  it('reports a non-OK status with its percent-decoded message, permanent or retryable by code', async () => {
    const target = await grpcServer((_call, done) =>
      done({ code: grpc.status.INVALID_ARGUMENT, details: 'span 7: naïve 100% bad\nline' }),
    );
    expect(await failure(await transportTo(target))).toMatchObject({
      name: 'PermanentError',
      message: `export to ${target} failed: INVALID_ARGUMENT span 7: naïve 100% bad\nline`,
    });
    const busy = await grpcServer((_call, done) => done({ code: grpc.status.UNAVAILABLE, details: 'busy' }));
    expect(await failure(await transportTo(busy))).toMatchObject({ name: 'RetryableError' });
  });

  it('retries RESOURCE_EXHAUSTED after the RetryInfo delay, and gives up on it without RetryInfo', async () => {
    const calls: number[] = [];
    const target = await grpcServer((call, done) => {
      calls.push(Date.now());
      if (calls.length > 1) return ok(call, done);
      const metadata = new grpc.Metadata();
      metadata.set('grpc-status-details-bin', encodeRpcStatus(8, 'slow down', 400));
      done({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'slow down', metadata });
    });
    const transport = await transportTo(target);
    const retry = { ...EXPORTER_HELPER_DEFAULTS.retry, initialIntervalMs: 1, maxIntervalMs: 1 };
    await sendWithRetry(() => transport.send(batch, ctx, 5000), retry, new AbortController().signal);
    expect(calls).toHaveLength(2);
    expect(calls[1] - calls[0]).toBeGreaterThanOrEqual(390);

    const plain = await grpcServer((_call, done) =>
      done({ code: grpc.status.RESOURCE_EXHAUSTED, details: 'no' }),
    );
    expect(await failure(await transportTo(plain))).toMatchObject({ name: 'PermanentError' });
  });

  it('ends a call at its deadline with DEADLINE_EXCEEDED (retryable) and cancels it', async () => {
    let cancelled = false;
    const target = await grpcServer((call) => call.on('cancelled', () => (cancelled = true)));
    const started = Date.now();
    expect(await failure(await transportTo(target), 150)).toMatchObject({
      name: 'RetryableError',
      message: textMatching(/DEADLINE_EXCEEDED/),
    });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect.poll(() => cancelled).toBe(true);
  });

  it('logs the rejected count of a partial success and resolves', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => lines.push(line) });
    const target = await grpcServer((_call, done) =>
      done(null, encodeExportTraceServiceResponse({ rejectedSpans: 3, errorMessage: 'too old' })),
    );
    await (await transportTo(target, { logger })).send(batch, ctx, 5000);
    expect(
      lines.map((l) => JSON.parse(l) as { msg: string; rejected: number; reason: string }),
    ).toMatchObject([{ msg: 'backend rejected spans', rejected: 3, reason: 'too old' }]);
  });
});

describe('OtlpGrpcTransport against a bare HTTP/2 server', () => {
  it('sends the gRPC request headers and a gzipped Length-Prefixed-Message', async () => {
    const seen: { headers: IncomingHttpHeaders; body: Buffer }[] = [];
    const target = await h2Server((stream, requestHeaders) => {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        seen.push({ headers: requestHeaders, body: Buffer.concat(chunks) });
        stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
        stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
        stream.end(Buffer.from([0, 0, 0, 0, 0])); // an empty ExportTraceServiceResponse
      });
    });
    await (await transportTo(target, { compression: 'gzip' })).send(batch, ctx, 2500);
    const [{ headers, body }] = seen;
    expect(headers).toMatchObject({
      ':method': 'POST',
      ':path': '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-encoding': 'gzip',
    });
    expect(headers['grpc-timeout']).toMatch(/^2[45]\d\dm$/);
    expect(body[0]).toBe(1); // compressed flag
    expect(body.readUInt32BE(1)).toBe(body.length - 5);
    const names = decodeExportTraceServiceRequest(gunzipSync(body.subarray(5))).map(
      (r) => r.scopeSpans[0].spans[0].name,
    );
    expect(names).toEqual(['x']);
  });

  it.each([
    [503, 'RetryableError', 'UNAVAILABLE'],
    [429, 'RetryableError', 'UNAVAILABLE'],
    [404, 'PermanentError', 'UNIMPLEMENTED'],
    [401, 'PermanentError', 'UNAUTHENTICATED'],
    [400, 'PermanentError', 'INTERNAL'],
    [500, 'PermanentError', 'UNKNOWN'],
  ])('maps HTTP %i without a grpc-status to %s %s', async (status, name, code) => {
    const target = await h2Server((stream) => {
      stream.respond({ ':status': status, 'content-type': 'text/plain' });
      stream.end('proxy says no');
    });
    expect(await failure(await transportTo(target))).toMatchObject({
      name,
      message: `export to ${target} failed: ${code} HTTP status ${status}`,
    });
  });

  it('reads the status of a trailers-only response', async () => {
    const target = await h2Server((stream) =>
      stream.respond(
        {
          ':status': 200,
          'content-type': 'application/grpc',
          'grpc-status': '16',
          'grpc-message': 'who%20are%20you',
        },
        { endStream: true },
      ),
    );
    expect(await failure(await transportTo(target))).toMatchObject({
      message: `export to ${target} failed: UNAUTHENTICATED who are you`,
    });
  });

  it('maps a stream reset: REFUSED_STREAM is UNAVAILABLE, others INTERNAL', async () => {
    const refused = await h2Server((stream) => stream.close(h2.NGHTTP2_REFUSED_STREAM));
    expect(await failure(await transportTo(refused))).toMatchObject({
      name: 'RetryableError',
      message: textMatching(/UNAVAILABLE/),
    });
    const broken = await h2Server((stream) => stream.close(h2.NGHTTP2_PROTOCOL_ERROR));
    expect(await failure(await transportTo(broken))).toMatchObject({
      name: 'PermanentError',
      message: textMatching(/INTERNAL/),
    });
  });

  it('reports an OK status without a response message as grpc-js does', async () => {
    const target = await h2Server((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end();
    });
    expect(await failure(await transportTo(target))).toMatchObject({
      message: textMatching(/UNIMPLEMENTED No message received/),
    });
  });
});
