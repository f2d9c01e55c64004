import * as grpc from '@grpc/grpc-js';
import http2 from 'node:http2';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestTracehouse } from '../../../test/support/test-tracehouse.js';
import { startTestTracehouse } from '../../../test/support/test-tracehouse.js';
import { DEFAULT_GRPC_HTTP2_WINDOWS, widenHttp2Windows } from './grpc-server-windows.js';

const HTTP2_DEFAULT_WINDOW = 65_535; // RFC 9113 §6.9.2

interface PeerWindows {
  /** SETTINGS_INITIAL_WINDOW_SIZE the server announced. */
  stream: number;
  /** How much the client may send on the connection before the server's next WINDOW_UPDATE. */
  connection: number;
}

/** Connects a raw HTTP/2 client, as a gRPC client would, and reads what the server granted it. */
async function windowsOffered(address: string): Promise<PeerWindows> {
  const session = http2.connect(`http://${address}`);
  try {
    await new Promise<void>((resolve, reject) => {
      session.once('error', reject);
      session.once('remoteSettings', () => resolve());
    });
    // The server's WINDOW_UPDATE follows its SETTINGS; a ping's answer comes after both.
    await new Promise<void>((resolve, reject) =>
      session.ping((error) => (error ? reject(error) : resolve())),
    );
    return {
      stream: session.remoteSettings.initialWindowSize ?? HTTP2_DEFAULT_WINDOW,
      connection: session.state.remoteWindowSize ?? HTTP2_DEFAULT_WINDOW,
    };
  } finally {
    session.close();
  }
}

function bind(server: grpc.Server): Promise<number> {
  return new Promise((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (error, port) =>
      error ? reject(error) : resolve(port),
    ),
  );
}

/** `server` as a reshaped grpc-js would present it: its private `http2Servers` reads as `field`. */
function seenWithHttp2Servers(server: grpc.Server, field: unknown): grpc.Server {
  return new Proxy(server, {
    get: (target, key, receiver) =>
      key === 'http2Servers' ? field : (Reflect.get(target, key, receiver) as unknown),
  });
}

let th: TestTracehouse | undefined;
let server: grpc.Server | undefined;
afterEach(async () => {
  await th?.stop();
  th = undefined;
  server?.forceShutdown();
  server = undefined;
});

describe('HTTP/2 windows of the gRPC server', () => {
  it('the OTLP/gRPC receiver offers its clients the wide stream and connection windows', async () => {
    th = await startTestTracehouse();
    expect(await windowsOffered(th.grpcAddress)).toEqual(DEFAULT_GRPC_HTTP2_WINDOWS);
  });

  it('leaves a grpc-js Server whose internals are not as expected at the defaults, still serving', async () => {
    server = new grpc.Server();
    const port = await bind(server);
    // What a grpc-js upgrade that renames the private field looks like from here.
    expect(widenHttp2Windows(seenWithHttp2Servers(server, undefined), DEFAULT_GRPC_HTTP2_WINDOWS)).toBe(
      false,
    );
    expect(await windowsOffered(`127.0.0.1:${port}`)).toEqual({
      stream: HTTP2_DEFAULT_WINDOW,
      connection: HTTP2_DEFAULT_WINDOW,
    });
  });

  it('changes nothing when the field holds something other than node:http2 servers', async () => {
    server = new grpc.Server();
    await bind(server);
    const reshaped = [{}, new Map([[{ listening: true }, {}]]), new Set()];
    for (const field of reshaped)
      expect(widenHttp2Windows(seenWithHttp2Servers(server, field), DEFAULT_GRPC_HTTP2_WINDOWS)).toBe(false);
  });

  it('reports false for a Server that is not bound yet (no HTTP/2 server to widen)', () => {
    server = new grpc.Server();
    expect(widenHttp2Windows(server, DEFAULT_GRPC_HTTP2_WINDOWS)).toBe(false);
  });
});
