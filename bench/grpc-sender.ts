import http2 from 'node:http2';
import type { Sender } from './sender.js';

const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';
const REQUEST_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;
// Responses are a few bytes, so the client's windows barely matter; large ones still spare the
// server a WINDOW_UPDATE round now and then.
const STREAM_WINDOW_BYTES = 4 * 1024 * 1024;
const CONNECTION_WINDOW_BYTES = 16 * 1024 * 1024;

// One object for every request: node:http2 copies it into nghttp2's header block and keeps none.
const REQUEST_HEADERS: http2.OutgoingHttpHeaders = {
  ':method': 'POST',
  ':path': EXPORT_PATH,
  'content-type': 'application/grpc',
  te: 'trailers',
  // The deadline, as the gRPC wire spec spells it ("Timeout" in PROTOCOL-HTTP2.md).
  'grpc-timeout': `${REQUEST_TIMEOUT_MS}m`,
};

/**
 * OTLP/gRPC `TraceService/Export` with pre-encoded request bytes, over one HTTP/2 connection, as
 * an OpenTelemetry SDK exporter sends, but written straight on `node:http2` ("Requests" and
 * "Responses" in gRPC's PROTOCOL-HTTP2.md): the grpc-js client spends ~3.5x the CPU of a raw
 * HTTP/2 client per message, and the load generator shares the machine with the server it
 * measures. A request counts as sent only when the server answered HTTP 200 and `grpc-status: 0`.
 * Resolves once the connection is up.
 */
export async function connectGrpcSender(target: string): Promise<Sender> {
  const session = http2.connect(`http://${target}`, {
    settings: { initialWindowSize: STREAM_WINDOW_BYTES },
  });
  await connected(session);
  session.setLocalWindowSize(CONNECTION_WINDOW_BYTES);
  // After connecting, a session error also fails every open stream, which rejects its send, and
  // every later send (no reconnect: a run measures one connection and counts what failed).
  session.on('error', () => {});
  // A payload is framed once, the first time it is sent (the load loop cycles a few payloads).
  const framed = new WeakMap<Buffer, Buffer>();
  const send = (payload: Buffer): Promise<void> => {
    let message = framed.get(payload);
    if (message === undefined) {
      message = grpcMessage(payload);
      framed.set(payload, message);
    }
    return unaryCall(session, message);
  };
  return { send, close: () => session.close() };
}

function connected(session: http2.ClientHttp2Session): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error): void => {
      clearTimeout(timer);
      session.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () => fail(new Error(`no HTTP/2 connection in ${CONNECT_TIMEOUT_MS} ms`)),
      CONNECT_TIMEOUT_MS,
    );
    session.once('error', fail);
    session.once('connect', () => {
      clearTimeout(timer);
      session.off('error', fail);
      resolve();
    });
  });
}

/** A gRPC Length-Prefixed-Message: an uncompressed flag byte, the length (big-endian), the bytes. */
export function grpcMessage(payload: Buffer): Buffer {
  const message = Buffer.allocUnsafe(5 + payload.length);
  message[0] = 0;
  message.writeUInt32BE(payload.length, 1);
  payload.copy(message, 5);
  return message;
}

/** Sends one framed request and settles when the stream closes, by the status the server gave. */
function unaryCall(session: http2.ClientHttp2Session, message: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    // Throws when the session is closed or destroyed; the Promise turns that into a rejection.
    const stream = session.request(REQUEST_HEADERS, { endStream: false });
    let httpStatus = 0;
    let grpcStatus: string | undefined;
    let grpcMessageText: string | undefined;
    let timedOut = false;
    // A trailers-only response (how grpc-js sends most errors) carries the status in its headers.
    const readStatus = (headers: http2.IncomingHttpHeaders): void => {
      const status = headers['grpc-status'];
      if (status === undefined) return;
      grpcStatus = status as string;
      grpcMessageText = headers['grpc-message'] as string | undefined;
    };
    stream.on('response', (headers) => {
      httpStatus = headers[':status'] ?? 0;
      readStatus(headers);
    });
    stream.on('trailers', readStatus);
    // The body (an ExportTraceServiceResponse) is read and dropped so that the stream can end.
    stream.on('data', ignore);
    stream.on('error', reject);
    stream.on('close', () => {
      if (timedOut) reject(new Error(`no response in ${REQUEST_TIMEOUT_MS} ms`));
      else if (
        httpStatus === 200 &&
        grpcStatus === '0' &&
        stream.rstCode === http2.constants.NGHTTP2_NO_ERROR
      )
        resolve();
      else reject(callError(httpStatus, grpcStatus, grpcMessageText, stream.rstCode));
    });
    stream.setTimeout(REQUEST_TIMEOUT_MS, () => {
      timedOut = true;
      stream.close(http2.constants.NGHTTP2_CANCEL);
    });
    stream.end(message);
  });
}

const ignore = (): void => {};

function callError(
  httpStatus: number,
  grpcStatus: string | undefined,
  message: string | undefined,
  rstCode: number,
): Error {
  if (grpcStatus !== undefined && grpcStatus !== '0')
    return new Error(`gRPC status ${grpcStatus}: ${decodeGrpcMessage(message ?? '')}`);
  if (httpStatus !== 200) return new Error(`HTTP ${httpStatus || 'no response'}`);
  if (rstCode !== http2.constants.NGHTTP2_NO_ERROR) return new Error(`stream reset with code ${rstCode}`);
  return new Error('response without grpc-status');
}

/** `grpc-message` is percent-encoded (PROTOCOL-HTTP2.md, "Status-Message"). */
function decodeGrpcMessage(message: string): string {
  try {
    return decodeURIComponent(message);
  } catch {
    return message;
  }
}
