import type { Server as HttpsServer } from 'node:https';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { TlsServerCredentials } from './tls-credentials.js';
import { httpsServerOptions } from './tls-credentials.js';

/** The server options our listeners set; Fastify's own logger stays off (we log with pino ourselves). */
export interface ServerOptions {
  bodyLimit?: number;
  keepAliveTimeout?: number;
  return503OnClosing?: boolean;
  routerOptions?: {
    /** Longest path parameter (decoded) a route matches; Fastify's default, 100, answers 404 past it. */
    maxParamLength?: number;
  };
}

/**
 * A Fastify app over HTTP, or over HTTPS when TLS credentials are given. Routes, hooks and
 * `inject()` are the same either way; only the raw server differs.
 */
export function createFastify(options: ServerOptions, tls?: TlsServerCredentials): FastifyInstance {
  if (!tls) return Fastify({ logger: false, ...options });
  // Typed FastifyInstance<https.Server>, which is usable as a FastifyInstance: nothing we call
  // differs between the two servers (listen, address, closeIdleConnections, closeAllConnections).
  return Fastify<HttpsServer>({ logger: false, ...options, https: httpsServerOptions(tls) });
}
