/**
 * Whether a request URL reads trace data — Tempo's `/api/…` and the Jaeger API under `/jaeger/api/` —
 * and so needs a tenant, a time budget and a latency measurement. Tempo's status endpoints
 * (`/api/echo`, `/api/status/…`) take no tenant in Tempo either; `/ready`, `/metrics` and the UI's
 * static files are outside.
 */
export function isQueryPath(url: string): boolean {
  const path = url.split('?', 1)[0];
  if (path.startsWith('/jaeger/api/')) return true;
  if (!path.startsWith('/api/')) return false;
  return path !== '/api/echo' && !path.startsWith('/api/status/');
}
