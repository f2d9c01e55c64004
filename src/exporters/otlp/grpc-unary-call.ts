import { constants as h2 } from 'node:http2';
import type { ClientHttp2Session, IncomingHttpHeaders, OutgoingHttpHeaders } from 'node:http2';
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { GrpcCallStatus } from './grpc-call-status.js';
import { callStatus, statusForHttp, statusForRstCode, statusFromMetadata } from './grpc-call-status.js';
import { messagePrefix, unaryResponseMessage } from './grpc-message-framing.js';

/** gRPC's default limit on a received message (grpc.max_receive_message_length); responses here are tiny. */
const MAX_RESPONSE_BYTES = 4 << 20;

export interface UnaryRequest {
  /** `/package.Service/Method`. */
  path: string;
  /** Custom metadata, lower-case names. */
  metadata: OutgoingHttpHeaders;
  /** The request message, in parts that are sent one after the other (never joined). */
  message: readonly Buffer[];
  /** The parts are gzipped: sets the compressed flag and `grpc-encoding: gzip`. */
  gzipped: boolean;
  /** Deadline from now; 0 for none. */
  timeoutMs: number;
}

export interface UnaryResult {
  status: GrpcCallStatus;
  /** The response message when the status is OK. */
  response: Buffer | undefined;
}

/**
 * One unary gRPC call on an HTTP/2 session (gRPC over HTTP2, PROTOCOL-HTTP2.md). Never rejects:
 * every way a call can end, including a dead connection (UNAVAILABLE, as gRPC clients report it)
 * and the deadline (DEADLINE_EXCEEDED, and the stream is cancelled), is a status.
 */
export function unaryCall(
  session: ClientHttp2Session | undefined,
  request: UnaryRequest,
): Promise<UnaryResult> {
  if (!session) return Promise.resolve(failed(GrpcStatus.UNAVAILABLE, 'the exporter is shut down'));
  const headers: OutgoingHttpHeaders = {
    ...request.metadata,
    [h2.HTTP2_HEADER_METHOD]: 'POST',
    [h2.HTTP2_HEADER_PATH]: request.path,
    [h2.HTTP2_HEADER_CONTENT_TYPE]: 'application/grpc',
    [h2.HTTP2_HEADER_TE]: 'trailers',
    [h2.HTTP2_HEADER_USER_AGENT]: 'tracehouse-otlp-exporter',
    'grpc-accept-encoding': 'identity,gzip',
  };
  if (request.gzipped) headers['grpc-encoding'] = 'gzip';
  if (request.timeoutMs > 0) headers['grpc-timeout'] = grpcTimeout(request.timeoutMs);
  let stream;
  try {
    stream = session.request(headers, { endStream: false });
  } catch (error) {
    // A session that closed in between, or headers HTTP/2 does not allow (a bad `headers` entry).
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const closed = code === 'ERR_HTTP2_INVALID_SESSION' || code === 'ERR_HTTP2_GOAWAY_SESSION';
    return Promise.resolve(
      failed(closed ? GrpcStatus.UNAVAILABLE : GrpcStatus.INTERNAL, (error as Error).message),
    );
  }
  const call = stream;
  return new Promise((resolve) => {
    let settled = false;
    let httpStatus = 0;
    let encoding: string | undefined;
    let status: GrpcCallStatus | undefined;
    let failure: NodeJS.ErrnoException | undefined;
    let ended = false;
    const chunks: Buffer[] = [];
    const settle = (result: UnaryResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    const timer =
      request.timeoutMs > 0
        ? setTimeout(() => {
            settle(failed(GrpcStatus.DEADLINE_EXCEEDED, `deadline of ${request.timeoutMs} ms exceeded`));
            call.close(h2.NGHTTP2_CANCEL);
          }, request.timeoutMs)
        : undefined;

    call.on('response', (responseHeaders: IncomingHttpHeaders) => {
      httpStatus = Number(responseHeaders[h2.HTTP2_HEADER_STATUS]);
      const grpcEncoding = responseHeaders['grpc-encoding'];
      encoding = typeof grpcEncoding === 'string' ? grpcEncoding : undefined;
      status = statusFromMetadata(responseHeaders); // trailers-only
    });
    let received = 0;
    call.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received <= MAX_RESPONSE_BYTES) return void chunks.push(chunk);
      settle(failed(GrpcStatus.RESOURCE_EXHAUSTED, `response larger than ${MAX_RESPONSE_BYTES} bytes`));
      call.close(h2.NGHTTP2_CANCEL);
    });
    call.on('trailers', (trailers: IncomingHttpHeaders) => {
      status = statusFromMetadata(trailers) ?? status;
    });
    call.on('end', () => {
      ended = true;
    });
    call.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= error;
    });
    call.on('close', () => {
      if (settled) return;
      const final = status ?? statusWithout(httpStatus, ended, failure, call.rstCode);
      if (final.code !== GrpcStatus.OK) return settle({ status: final, response: undefined });
      void unaryResponseMessage(chunks, encoding).then((response) => {
        if (response === undefined) settle(failed(GrpcStatus.UNIMPLEMENTED, 'No message received'));
        else if (Buffer.isBuffer(response)) settle({ status: final, response });
        else settle({ status: response, response: undefined });
      });
    });

    // One writev for prefix and parts: cork, write, uncork.
    call.cork();
    let length = 0;
    for (const part of request.message) length += part.length;
    call.write(messagePrefix(length, request.gzipped));
    for (const part of request.message) call.write(part);
    call.end();
    call.uncork();
  });
}

/** The status of a call that ended without `grpc-status`, from how it ended. */
function statusWithout(
  httpStatus: number,
  ended: boolean,
  failure: NodeJS.ErrnoException | undefined,
  rstCode: number | undefined,
): GrpcCallStatus {
  // Reset by the server: Node reports the code as ERR_HTTP2_STREAM_ERROR.
  if (failure?.code === 'ERR_HTTP2_STREAM_ERROR' && rstCode !== undefined) return statusForRstCode(rstCode);
  // The connection (TCP, TLS, or the session) failed under the call.
  if (failure) return callStatus(GrpcStatus.UNAVAILABLE, failure.message);
  if (httpStatus !== 0 && httpStatus !== 200) return statusForHttp(httpStatus);
  if (httpStatus === 200 && ended)
    return callStatus(GrpcStatus.UNKNOWN, 'response ended without a grpc-status');
  // No response at all: the connection went away under the call (or never spoke HTTP/2).
  return callStatus(GrpcStatus.UNAVAILABLE, 'connection closed before a response');
}

/** TimeoutValue is at most 8 digits (gRPC over HTTP2, "Timeout"): milliseconds, else seconds. */
function grpcTimeout(ms: number): string {
  const whole = Math.ceil(ms);
  return whole <= 99_999_999 ? `${whole}m` : `${Math.min(Math.ceil(whole / 1000), 99_999_999)}S`;
}

function failed(code: GrpcStatus, details: string): UnaryResult {
  return { status: callStatus(code, details), response: undefined };
}
