import { status as GrpcStatus } from '@grpc/grpc-js';

/**
 * Why a receiver refused a request, mapped once to the HTTP and gRPC codes OTLP clients act on
 * (OTLP specification, "Failures" and "Throttling"): 400/INVALID_ARGUMENT is not retried;
 * 429/RESOURCE_EXHAUSTED and 503/UNAVAILABLE are retried after `Retry-After` / `RetryInfo`.
 * 401/UNAUTHENTICATED and 403/PERMISSION_DENIED refuse who is asking (bearer token, tenant).
 */
export type RejectionKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'too-large'
  | 'unsupported-media'
  | 'busy'
  | 'unavailable'
  | 'internal';

const HTTP_STATUS: Record<RejectionKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'too-large': 413,
  'unsupported-media': 415,
  busy: 429,
  unavailable: 503,
  internal: 500,
};

const GRPC_STATUS: Record<RejectionKind, GrpcStatus> = {
  invalid: GrpcStatus.INVALID_ARGUMENT,
  unauthenticated: GrpcStatus.UNAUTHENTICATED,
  forbidden: GrpcStatus.PERMISSION_DENIED,
  'too-large': GrpcStatus.RESOURCE_EXHAUSTED,
  'unsupported-media': GrpcStatus.UNIMPLEMENTED,
  busy: GrpcStatus.RESOURCE_EXHAUSTED,
  unavailable: GrpcStatus.UNAVAILABLE,
  internal: GrpcStatus.INTERNAL,
};

export class RequestRejection extends Error {
  override readonly name = 'RequestRejection';

  constructor(
    readonly kind: RejectionKind,
    message: string,
    /** Set for retryable rejections: how long the client should wait. */
    readonly retryAfterMs?: number,
    /** For 'unauthenticated': the `WWW-Authenticate` challenge of the HTTP answer. */
    readonly challenge?: string,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return HTTP_STATUS[this.kind];
  }

  get grpcStatus(): GrpcStatus {
    return GRPC_STATUS[this.kind];
  }
}

/**
 * The google.rpc.Code an OTLP/HTTP error body carries for an HTTP status, including statuses
 * Fastify produces itself (404, 413, 415), so JSON and protobuf error bodies agree with gRPC.
 */
export function grpcCodeForHttpStatus(httpStatus: number): GrpcStatus {
  const kind = (Object.keys(HTTP_STATUS) as RejectionKind[]).find((k) => HTTP_STATUS[k] === httpStatus);
  if (kind) return GRPC_STATUS[kind];
  if (httpStatus === 404) return GrpcStatus.NOT_FOUND;
  return httpStatus >= 500 ? GrpcStatus.INTERNAL : GrpcStatus.INVALID_ARGUMENT;
}
