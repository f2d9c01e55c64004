import { createServer as createH2Server } from 'node:http2';
import type { ServerHttp2Session } from 'node:http2';
import type { AddressInfo, Socket } from 'node:net';
import { createServer as createTcpServer } from 'node:net';
import { status as GrpcStatus } from '@grpc/grpc-js';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import type { ClientTlsConfig } from '../helper/client-config.js';
import { plainClientTls } from '../helper/client-config.js';
import { unaryCall } from './grpc-unary-call.js';
import type { UnaryRequest } from './grpc-unary-call.js';
import { Http2Connection } from './http2-connection.js';

/* When the exporter's one connection is replaced: after GOAWAY, and after a peer went silent. */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const PLAINTEXT: ClientTlsConfig = plainClientTls(true);
const request = (timeoutMs: number): UnaryRequest => ({
  path: '/s.S/M',
  metadata: {},
  message: [Buffer.from([])],
  gzipped: false,
  timeoutMs,
});

function connectionTo(port: number, pingTimeoutMs?: number): Http2Connection {
  const connection = new Http2Connection(`127.0.0.1:${port}`, PLAINTEXT, silentLogger(), pingTimeoutMs);
  cleanups.push(() => connection.shutdown());
  return connection;
}

describe('Http2Connection', () => {
  it('dials a new session for the calls after a GOAWAY', async () => {
    const sessions: ServerHttp2Session[] = [];
    const server = createH2Server();
    server.on('session', (session) => sessions.push(session));
    server.on('stream', (stream) => {
      stream.resume();
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.on('wantTrailers', () => {
        stream.sendTrailers({ 'grpc-status': '0' });
        stream.session?.goaway(); // NO_ERROR: this call completes, the next ones go elsewhere
      });
      stream.end(Buffer.from([0, 0, 0, 0, 0]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      // A Node server keeps a session after its own GOAWAY until told otherwise.
      for (const session of sessions) session.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    });
    const connection = connectionTo((server.address() as AddressInfo).port);
    for (let i = 0; i < 3; i++) {
      const { status } = await unaryCall(connection.session(), request(2000));
      expect(status.code).toBe(GrpcStatus.OK);
    }
    expect(sessions).toHaveLength(3);
  });

  it('drops a connection whose peer stopped answering once a call timed out, and dials again', async () => {
    const sockets: Socket[] = [];
    const silent = createTcpServer((socket) => sockets.push(socket.on('error', () => {})));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => silent.close(() => resolve()));
    });
    const connection = connectionTo((silent.address() as AddressInfo).port, 100);
    const { status } = await unaryCall(connection.session(), request(100));
    expect(status.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    const first = connection.session();
    connection.probe();
    await expect.poll(() => first?.destroyed).toBe(true);
    expect(connection.session() === first).toBe(false);
    await expect.poll(() => sockets.length).toBe(2);
  });
});
