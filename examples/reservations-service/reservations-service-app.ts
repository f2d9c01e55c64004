import type { Span } from '@opentelemetry/api';
import { propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { Express, Request, Response } from 'express';
import express from 'express';
import { examplesTracer } from '../tracing/traced.js';
import { BadRequestError, parseRequestStep } from './parse-request.js';
import type { ReservationBook } from './reservation-book.js';
import { UserServiceError } from './user-limits-client.js';

/** The reservations-service's default port (the tutorial's). */
export const RESERVATIONS_SERVICE_PORT = 8081;

/** The tutorial's three answers. */
export const SUCCESS = 'success';
export const LIMIT_NOT_FOUND = 'failure, limit not found';
export const LIMIT_EXCEEDED = 'failure, limit exceeded';

/** Response header carrying the trace id, so a client (or a test) can look the trace up. */
export const TRACE_ID_HEADER = 'x-trace-id';

export interface ReservationsServiceDeps {
  book: ReservationBook;
  /** The user's reservation limit, `undefined` when the user-service does not know the user. */
  fetchLimit: (username: string) => Promise<number | undefined>;
  maxSleepMs: number;
}

/**
 * `POST /reservations` with `{"username", "item_id"}`: `success` when the user is under their
 * limit (the reservation is recorded), `failure, limit exceeded` when not, `failure, limit not
 * found` when the user-service does not know the user. The whole request is the span
 * `reservations_handler`, each step a child span.
 */
export function createReservationsServiceApp(deps: ReservationsServiceDeps): Express {
  const parseRequest = parseRequestStep(deps.maxSleepMs);
  const app = express();
  app.use(express.json());
  app.post('/reservations', (req, res) => {
    // A traced client's context is honoured; the demo's load generator sends none, so the
    // handler's span is the root of the trace.
    const parentContext = propagation.extract(ROOT_CONTEXT, req.headers);
    const attributes = { 'http.request.method': 'POST', 'http.route': '/reservations' };
    return examplesTracer().startActiveSpan(
      'reservations_handler',
      { kind: SpanKind.SERVER, attributes },
      parentContext,
      async (span) => {
        res.setHeader(TRACE_ID_HEADER, span.spanContext().traceId);
        recordAuthorization(span, req);
        try {
          const { username, itemId } = await parseRequest(req.body);
          span.setAttributes({ 'app.username': username, 'app.item_id': itemId });
          answer(span, res, 200, await reserve(deps, username, itemId));
        } catch (error) {
          if (error instanceof BadRequestError)
            answer(span, res, 400, `failure, bad request: ${error.message}`);
          else if (error instanceof UserServiceError)
            answer(span, res, 502, `failure, ${error.message}`, true);
          else answer(span, res, 500, `failure, ${(error as Error).message}`, true);
        } finally {
          span.end();
        }
      },
    );
  });
  return app;
}

async function reserve(deps: ReservationsServiceDeps, username: string, itemId: string): Promise<string> {
  const limit = await deps.fetchLimit(username);
  if (limit === undefined) return LIMIT_NOT_FOUND;
  const count = await deps.book.fetchReservationsCount(username);
  if (count >= limit) return LIMIT_EXCEEDED;
  await deps.book.makeReservation(username, itemId);
  return SUCCESS;
}

function answer(span: Span, res: Response, status: number, text: string, serverError = false): void {
  span.setAttributes({ 'http.response.status_code': status, 'app.reservation.outcome': text });
  // Semantic conventions: a SERVER span is an error for 5xx only; 4xx is the client's problem.
  if (serverError) span.setStatus({ code: SpanStatusCode.ERROR, message: text });
  res.status(status).type('text/plain').send(text);
}

/**
 * Records the Authorization header as an attribute — the kind of capture that leaks credentials
 * into a tracing backend. It is here on purpose, to show the RedactionSpanProcessor removing it
 * before export.
 */
function recordAuthorization(span: Span, req: Request): void {
  const authorization = req.get('authorization');
  if (authorization) span.setAttribute('http.request.header.authorization', [authorization]);
}
