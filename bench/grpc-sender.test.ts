import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../src/consumer/errors.js';
import { encodeExportTraceServiceRequest } from '../src/otlp/protobuf/encode-traces.js';
import { oneSpanRequest } from '../test/support/one-span-request.js';
import type { TestTracehouse } from '../test/support/test-tracehouse.js';
import { startTestTracehouse } from '../test/support/test-tracehouse.js';
import { connectGrpcSender, grpcMessage } from './grpc-sender.js';
import type { Sender } from './sender.js';

let th: TestTracehouse | undefined;
let sender: Sender | undefined;
let fake: http2.Http2Server | undefined;
afterEach(async () => {
  sender?.close();
  sender = undefined;
  await th?.stop();
  th = undefined;
  await new Promise<void>((resolve) => (fake ? fake.close(() => resolve()) : resolve()));
  fake = undefined;
});

/** A plain HTTP/2 server that answers every request as `answer` does, to fake a broken peer. */
async function startFakeServer(answer: (stream: http2.ServerHttp2Stream) => void): Promise<string> {
  fake = http2.createServer();
  fake.on('stream', (stream) => {
    // A stream the fake resets errors on this side too; that is the point, not a failure.
    stream.on('error', () => {});
    stream.resume();
    stream.on('end', () => answer(stream));
  });
  await new Promise<void>((resolve) => fake!.listen(0, '127.0.0.1', resolve));
  return `127.0.0.1:${(fake.address() as AddressInfo).port}`; // a TCP listener's address
}

describe('gRPC sender of the ingest benchmark', () => {
  it('frames a message as gRPC does: no compression, big-endian length, then the bytes', () => {
    expect([...grpcMessage(Buffer.from([7, 8, 9]))]).toEqual([0, 0, 0, 0, 3, 7, 8, 9]);
  });

  it('resolves once the real receiver accepted the export, every time a payload is resent', async () => {
    th = await startTestTracehouse();
    sender = await connectGrpcSender(th.grpcAddress);
    const payload = encodeExportTraceServiceRequest(oneSpanRequest());
    await Promise.all([sender.send(payload), sender.send(payload), sender.send(payload)]);
    await sender.send(payload);
    expect(th.exporter.spanCount()).toBe(4);
  });

  it('rejects with the decoded grpc-message of a refused request (trailers-only answer)', async () => {
    th = await startTestTracehouse();
    sender = await connectGrpcSender(th.grpcAddress);
    const truncated = encodeExportTraceServiceRequest(oneSpanRequest()).subarray(0, 20);
    await expect(sender.send(truncated)).rejects.toThrow(
      /^gRPC status 3: invalid protobuf: truncated message: length \d+ at byte \d+ runs past the end/,
    );
    expect(th.exporter.spanCount()).toBe(0);
  });

  it('rejects when the pipeline refuses, with the status the receiver gave', async () => {
    th = await startTestTracehouse();
    th.exporter.failWith = new RetryableError('store is flushing', 2000);
    sender = await connectGrpcSender(th.grpcAddress);
    await expect(sender.send(encodeExportTraceServiceRequest(oneSpanRequest()))).rejects.toThrow(
      'gRPC status 14: store is flushing',
    );
  });

  it('rejects an answer that is not HTTP 200', async () => {
    const address = await startFakeServer((stream) =>
      stream.respond({ ':status': 404 }, { endStream: true }),
    );
    sender = await connectGrpcSender(address);
    await expect(sender.send(Buffer.from([1]))).rejects.toThrow('HTTP 404');
  });

  it('rejects an HTTP 200 answer that carries no grpc-status', async () => {
    const address = await startFakeServer((stream) => {
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' });
      stream.end(grpcMessage(Buffer.alloc(0)));
    });
    sender = await connectGrpcSender(address);
    await expect(sender.send(Buffer.from([1]))).rejects.toThrow('response without grpc-status');
  });

  it('rejects a stream the server resets', async () => {
    const address = await startFakeServer((stream) => stream.close(http2.constants.NGHTTP2_REFUSED_STREAM));
    sender = await connectGrpcSender(address);
    await expect(sender.send(Buffer.from([1]))).rejects.toThrow(/stream reset|NGHTTP2_REFUSED_STREAM/);
  });

  it('fails to connect to a port nobody listens on', async () => {
    const address = await startFakeServer(() => {});
    await new Promise<void>((resolve) => fake!.close(() => resolve()));
    fake = undefined;
    await expect(connectGrpcSender(address)).rejects.toThrow(/ECONNREFUSED/);
  });
});
