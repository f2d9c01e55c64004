import type { FastifyReply } from 'fastify';
import { noteServerError } from '../server-error-log.js';
import { jaegerErrorResponse } from './jaeger-errors.js';

/**
 * Jaeger query's v1 JSON envelope (cmd/query/app/http_handler.go `structuredResponse`): every
 * field always written, `errors` null on success. `total` is set only where Jaeger sets it
 * (services, operations); trace searches answer `total: 0`, as Jaeger does.
 */
export interface StructuredResponse<T> {
  data: T;
  total: number;
  limit: number;
  offset: number;
  errors: StructuredError[] | null;
}

/** `code` and `traceID` are `omitempty` in Jaeger's struct, so absent rather than 0 or ''. */
export interface StructuredError {
  code?: number;
  msg: string;
  traceID?: string;
}

export function structured<T>(data: T, total = 0, errors: StructuredError[] | null = null) {
  return { data, total, limit: 0, offset: 0, errors } satisfies StructuredResponse<T>;
}

export function sendJson(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply.code(status).type('application/json').send(JSON.stringify(body));
}

/** Jaeger's handleError: the envelope with `data: null` and one error carrying the status. */
export function sendV1Error(reply: FastifyReply, status: number, message: string): FastifyReply {
  return sendJson(reply, structured(null, 0, [{ code: status, msg: message }]), status);
}

/**
 * The v3 HTTP gateway's error body (api_v3 `GRPCGatewayError`): `{"error": {"httpCode", "message"}}`
 * — what Grafana's Jaeger data source reads from `/api/v3/…` answers, not the v1 envelope.
 */
export function sendV3Error(reply: FastifyReply, status: number, message: string): FastifyReply {
  return sendJson(reply, { error: { httpCode: status, message } }, status);
}

/**
 * Runs a handler and answers its failures in the API's error shape: 400 for what the client can
 * fix, 504 for a query out of time; anything else is ours and answers 500 in the same shape (never
 * Fastify's own body, which no Jaeger client can read).
 */
export async function answer(
  reply: FastifyReply,
  style: 'v1' | 'v3',
  handler: () => Promise<FastifyReply>,
): Promise<FastifyReply> {
  try {
    return await handler();
  } catch (error) {
    const known = jaegerErrorResponse(error, style);
    const status = known?.status ?? 500;
    const message =
      known?.message ?? `internal error: ${error instanceof Error ? error.message : String(error)}`;
    if (!known) noteServerError(reply.request, error);
    return style === 'v1' ? sendV1Error(reply, status, message) : sendV3Error(reply, status, message);
  }
}
