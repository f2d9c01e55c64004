import type { FastifyInstance } from 'fastify';
import { runWithReadDeadline } from '../store/driver/read-deadline.js';
import { isQueryRequest } from './query-paths.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The timer answering 504 when the query outlives its budget. */
    queryDeadline: NodeJS.Timeout | undefined;
  }
}

/**
 * Every query request gets `timeoutMs` to answer; past it the client gets 504 with a message
 * saying so, whatever the route is doing. Every read the route makes passes ClickHouse what is
 * left of the budget as `max_execution_time` (read-deadline.ts), which stops the work itself.
 * Tempo answers a query that outlives its `query_timeout` with 504 as well. A late answer from the
 * route is then dropped by Fastify (the reply is already sent).
 */
export function registerQueryDeadlineHook(app: FastifyInstance, timeoutMs: number): void {
  const message = `query timed out after ${formatMs(timeoutMs)} (--query-timeout): narrow the time range or the query`;
  app.decorateRequest('queryDeadline', undefined);
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' || !isQueryRequest(request)) return done();
    request.queryDeadline = setTimeout(() => {
      if (!reply.sent) void reply.code(504).type('text/plain').send(message);
    }, timeoutMs);
    // The route's reads run in this context, so ClickHouse stops them by the same deadline.
    runWithReadDeadline(Date.now() + timeoutMs, done);
  });
  const clear = (request: { queryDeadline: NodeJS.Timeout | undefined }): void => {
    clearTimeout(request.queryDeadline);
    request.queryDeadline = undefined;
  };
  app.addHook('onResponse', (request, _reply, done) => {
    clear(request);
    done();
  });
  app.addHook('onRequestAbort', (request, done) => {
    clear(request);
    done();
  });
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
