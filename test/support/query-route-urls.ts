import type { TenantData } from './two-tenant-store.js';

/**
 * A concrete URL for each query route of the API, reading `t`'s data over a window around the
 * fixture's traces (`startMs` ten minutes ago). Keyed by route pattern, as ApiServer.queryRoutes
 * lists them, so tests can tell which routes they cover.
 */
export function queryRouteUrls(t: TenantData, startMs: number): Record<string, string> {
  const start = Math.floor(startMs / 1000) - 60;
  const end = Math.ceil(Date.now() / 1000) + 60;
  const range = `start=${start}&end=${end}`;
  const byService = `q=${encodeURIComponent('{ } | count_over_time() by (resource.service.name)')}`;
  const rfc = (s: number): string => new Date(s * 1000).toISOString();
  const spm = `service=${t.frontend}&endTs=${end * 1000}&lookback=3600000`;
  const v3Window = `query.start_time_min=${rfc(start)}&query.start_time_max=${rfc(end)}`;
  return {
    // Tempo
    '/api/traces/:traceId': `/api/traces/${t.traceId}`,
    '/api/v2/traces/:traceId': `/api/v2/traces/${t.traceId}`,
    '/api/search': `/api/search?q=${encodeURIComponent('{ }')}&${range}`,
    '/api/search/tags': `/api/search/tags?${range}`,
    '/api/v2/search/tags': `/api/v2/search/tags?${range}`,
    '/api/search/tag/:tag/values': `/api/search/tag/service.name/values?${range}`,
    '/api/v2/search/tag/:tag/values': `/api/v2/search/tag/resource.service.name/values?${range}`,
    '/api/metrics/query_range': `/api/metrics/query_range?${byService}&${range}&step=60s`,
    '/api/metrics/query': `/api/metrics/query?${byService}&${range}`,
    // Native
    '/api/tracehouse/traces/:traceId': `/api/tracehouse/traces/${t.traceId}`,
    '/api/tracehouse/service-graph': `/api/tracehouse/service-graph?${range}`,
    '/api/tracehouse/services': `/api/tracehouse/services?${range}`,
    '/api/tracehouse/operations': `/api/tracehouse/operations?${range}`,
    '/api/tracehouse/operations/series': `/api/tracehouse/operations/series?${range}`,
    '/api/tracehouse/traces/:traceId/stats': `/api/tracehouse/traces/${t.traceId}/stats`,
    '/api/tracehouse/traces/:traceId/compact': `/api/tracehouse/traces/${t.traceId}/compact`,
    '/api/tracehouse/traces/:traceId/outline': `/api/tracehouse/traces/${t.traceId}/outline`,
    // Jaeger
    '/jaeger/api/services': '/jaeger/api/services',
    '/jaeger/api/services/:service/operations': `/jaeger/api/services/${t.frontend}/operations`,
    '/jaeger/api/operations': `/jaeger/api/operations?service=${t.frontend}`,
    '/jaeger/api/traces': `/jaeger/api/traces?service=${t.frontend}`,
    '/jaeger/api/traces/:traceID': `/jaeger/api/traces/${t.traceId}`,
    '/jaeger/api/dependencies': `/jaeger/api/dependencies?endTs=${end * 1000}&lookback=3600000`,
    '/jaeger/api/v3/services': '/jaeger/api/v3/services',
    '/jaeger/api/v3/operations': `/jaeger/api/v3/operations?service=${t.frontend}`,
    '/jaeger/api/v3/traces': `/jaeger/api/v3/traces?query.service_name=${t.frontend}&${v3Window}`,
    '/jaeger/api/v3/traces/:traceId': `/jaeger/api/v3/traces/${t.traceId}`,
    '/jaeger/api/v3/trace-summaries': `/jaeger/api/v3/trace-summaries?query.service_name=${t.frontend}&${v3Window}`,
    '/jaeger/api/metrics/calls': `/jaeger/api/metrics/calls?${spm}`,
    '/jaeger/api/metrics/errors': `/jaeger/api/metrics/errors?${spm}`,
    '/jaeger/api/metrics/latencies': `/jaeger/api/metrics/latencies?${spm}&quantile=0.99`,
  };
}

/**
 * A URL for a route pattern no table knows yet: parameters filled with `t`'s values. It may be
 * refused for a missing parameter; what matters to the callers is that it is a real route.
 */
export function genericRouteUrl(pattern: string, t: TenantData): string {
  return pattern
    .replace(/:trace[Ii][Dd]\b/g, t.traceId)
    .replace(/:service\b/g, t.frontend)
    .replace(/:tag\b/g, 'service.name')
    .replace(/:[A-Za-z]+/g, 'x')
    .replace(/\*$/, '');
}
