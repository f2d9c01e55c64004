import type { FastifyRequest } from 'fastify';

/**
 * Whether a route reads trace data — Tempo's `/api/…` and the Jaeger API under `/jaeger/api/` —
 * and so needs a tenant, a time budget and a latency measurement. Tempo's status endpoints
 * (`/api/echo`, `/api/status/…`) take no tenant in Tempo either; `/ready`, `/metrics` and the UI's
 * static files are outside. `path` is a route's pattern (`/api/traces/:traceId`), never a
 * request's URL: see {@link isQueryRequest}.
 */
export function isQueryPath(path: string): boolean {
  if (path.startsWith('/jaeger/api/')) return true;
  if (!path.startsWith('/api/')) return false;
  return path !== '/api/echo' && !path.startsWith('/api/status/');
}

/**
 * Whether the route a request was routed to reads trace data. Decided by the route matched, not
 * by the URL as sent: the router decodes the path before matching, so `/%61pi/traces/<id>`
 * reaches `/api/traces/:traceId` while its URL does not start with `/api/`, and a check of the
 * URL let it past every tenant and token check. A request no route matched answers 404 and reads
 * nothing.
 */
export function isQueryRequest(request: FastifyRequest): boolean {
  const route = request.routeOptions.url;
  return route !== undefined && isQueryPath(route);
}
