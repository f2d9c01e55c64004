import type { FastifyInstance } from 'fastify';

/**
 * Closes a Fastify app without cutting requests in progress: no new requests are taken, those
 * under way finish, and keep-alive connections are closed as soon as they fall idle (Node only
 * closes the connections idle at the moment `close()` starts; a sender's pooled connection would
 * otherwise hold the process open for the whole keep-alive timeout). After `graceMs` the
 * remaining connections are cut.
 */
export async function closeFastify(app: FastifyInstance, graceMs = 10_000): Promise<void> {
  const closing = app.close();
  const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
  const force = setTimeout(() => app.server.closeAllConnections(), graceMs);
  try {
    await closing;
  } finally {
    clearInterval(sweep);
    clearTimeout(force);
  }
}
