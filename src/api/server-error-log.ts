import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from '../logging/logger.js';
import { isQueryRequest } from './query-paths.js';

/** Why a request was answered 5xx, until its response has gone out and is logged. */
const failures = new WeakMap<FastifyRequest, unknown>();

/**
 * Records the error behind a 5xx a route answers itself (in its API's error shape) rather than
 * throwing to Fastify, so that the log line written when the response ends names it.
 */
export function noteServerError(request: FastifyRequest, error: unknown): void {
  failures.set(request, error);
}

/**
 * Logs every 5xx a query route answers, once the response is sent: the route, the status and the
 * error — thrown to Fastify (its `onError` hook) or noted by the route ({@link noteServerError}).
 * A 500 is our fault and logged at error; a 504 (a query out of its time budget) or 503 at warn.
 * Fastify's own logger stays off (create-fastify.ts), so without this a 500 left no trace.
 */
export function registerServerErrorLog(app: FastifyInstance, logger: Logger): void {
  app.addHook('onError', (request, _reply, error, done) => {
    failures.set(request, error);
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const status = reply.statusCode;
    if (status >= 500 && isQueryRequest(request)) {
      const fields = {
        component: 'http',
        route: `${request.method} ${request.routeOptions.url}`,
        status,
        err: failures.get(request),
      };
      if (status === 500) logger.error(fields, 'query request failed');
      else logger.warn(fields, 'query request failed');
    }
    failures.delete(request);
    done();
  });
}
