import { constants as h2 } from 'node:http2';
import type { IncomingHttpHeaders } from 'node:http2';
import { status as GrpcStatus } from '@grpc/grpc-js';

/** How a gRPC call ended: the code, its message, and the `grpc-status-details-bin` (a google.rpc.Status). */
export interface GrpcCallStatus {
  code: GrpcStatus;
  details: string;
  statusDetailsBin: Buffer | undefined;
}

export function callStatus(code: GrpcStatus, details: string, statusDetailsBin?: Buffer): GrpcCallStatus {
  return { code, details, statusDetailsBin };
}

/**
 * The status in response trailers, or in the headers of a trailers-only response; undefined when
 * `grpc-status` is absent. `grpc-message` is percent-encoded UTF-8 and `grpc-status-details-bin`
 * base64, padded or not (gRPC over HTTP2, "Responses").
 */
export function statusFromMetadata(headers: IncomingHttpHeaders): GrpcCallStatus | undefined {
  const text = headers['grpc-status'];
  if (typeof text !== 'string') return undefined;
  // An unknown number passes through as is: the code names only what grpc-js knows.
  const code = /^\d+$/.test(text) ? (Number(text) as GrpcStatus) : GrpcStatus.UNKNOWN;
  const message = headers['grpc-message'];
  const details = headers['grpc-status-details-bin'];
  return callStatus(
    code,
    typeof message === 'string' ? percentDecode(message) : '',
    typeof details === 'string' ? Buffer.from(details, 'base64') : undefined,
  );
}

function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  try {
    return decodeURIComponent(text);
  } catch {
    return text; // a malformed escape: show what the server sent rather than nothing
  }
}

/**
 * A response without grpc-status: its HTTP status mapped as "HTTP to gRPC Status Code Mapping"
 * (grpc/doc/http-grpc-status-mapping.md) says; a 200 without a gRPC status is UNKNOWN, as in grpc-js.
 */
export function statusForHttp(httpStatus: number): GrpcCallStatus {
  return callStatus(HTTP_TO_GRPC.get(httpStatus) ?? GrpcStatus.UNKNOWN, `HTTP status ${httpStatus}`);
}

const HTTP_TO_GRPC = new Map<number, GrpcStatus>([
  [400, GrpcStatus.INTERNAL],
  [401, GrpcStatus.UNAUTHENTICATED],
  [403, GrpcStatus.PERMISSION_DENIED],
  [404, GrpcStatus.UNIMPLEMENTED],
  [429, GrpcStatus.UNAVAILABLE],
  [502, GrpcStatus.UNAVAILABLE],
  [503, GrpcStatus.UNAVAILABLE],
  [504, GrpcStatus.UNAVAILABLE],
]);

/**
 * A stream reset by the peer before any status, mapped as gRPC over HTTP2 "Errors" says (every
 * other code is INTERNAL): REFUSED_STREAM means the request was not processed, so UNAVAILABLE.
 */
export function statusForRstCode(rstCode: number): GrpcCallStatus {
  return callStatus(
    RST_TO_GRPC.get(rstCode) ?? GrpcStatus.INTERNAL,
    `stream reset by the server with HTTP/2 error code ${rstCode}`,
  );
}

const RST_TO_GRPC = new Map<number, GrpcStatus>([
  [h2.NGHTTP2_REFUSED_STREAM, GrpcStatus.UNAVAILABLE],
  [h2.NGHTTP2_CANCEL, GrpcStatus.CANCELLED],
  [h2.NGHTTP2_ENHANCE_YOUR_CALM, GrpcStatus.RESOURCE_EXHAUSTED],
  [h2.NGHTTP2_INADEQUATE_SECURITY, GrpcStatus.PERMISSION_DENIED],
]);
