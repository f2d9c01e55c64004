import { describe, expect, it } from 'vitest';
import { useApiOverTwoTenantStore } from '../../test/support/api-over-two-tenant-store.js';
import { TENANT_A } from '../../test/support/two-tenant-store.js';

/*
 * A parameter that takes one value, given twice (`?q=a&q=a`): 400 naming it, in the error shape
 * of the route's API — never a 500 (Fastify hands a repeated key over as an array) nor an answer
 * for one of the values. Each URL below lists every one-value parameter its route reads, with
 * valid values, so the repetition is the only thing wrong; the test repeats each in turn.
 */

const A = TENANT_A;
const start = Math.floor(Date.now() / 1000) - 3600;
const end = start + 7200;
const rfc = (seconds: number): string => new Date(seconds * 1000).toISOString();
const range = `start=${start}&end=${end}`;
const traceql = encodeURIComponent('{ }');
const metricsQuery = encodeURIComponent('{ } | rate()');
const v3Window = `query.start_time_min=${rfc(start)}&query.start_time_max=${rfc(end)}`;
const spm = `service=${A.frontend}&endTs=${end * 1000}&lookback=3600000&step=60000&ratePer=600000&groupByOperation=true`;

const ROUTES: [route: string, path: string][] = [
  // Tempo
  ['/api/traces/:traceId', `/api/traces/${A.traceId}?${range}`],
  ['/api/v2/traces/:traceId', `/api/v2/traces/${A.traceId}?${range}`],
  ['/api/search', `/api/search?q=${traceql}&minDuration=1ms&maxDuration=1h&limit=5&spss=2&${range}`],
  ['/api/search', `/api/search?tags=${encodeURIComponent('service.name=x')}`],
  ['/api/search/tags', `/api/search/tags?limit=10&${range}`],
  ['/api/v2/search/tags', `/api/v2/search/tags?scope=span&q=${traceql}&limit=10&${range}`],
  ['/api/search/tag/:tag/values', `/api/search/tag/service.name/values?limit=10&${range}`],
  [
    '/api/v2/search/tag/:tag/values',
    `/api/v2/search/tag/resource.service.name/values?q=${traceql}&limit=10&${range}`,
  ],
  ['/api/metrics/query_range', `/api/metrics/query_range?q=${metricsQuery}&step=60s&${range}`],
  ['/api/metrics/query_range', `/api/metrics/query_range?q=${metricsQuery}&since=1h`],
  ['/api/metrics/query', `/api/metrics/query?q=${metricsQuery}&${range}`],
  ['/api/metrics/query', `/api/metrics/query?q=${metricsQuery}&since=1h`],
  // Native
  ['/api/tracehouse/service-graph', `/api/tracehouse/service-graph?edges=all-spans&${range}`],
  ['/api/tracehouse/services', `/api/tracehouse/services?${range}`],
  [
    '/api/tracehouse/operations',
    `/api/tracehouse/operations?service=${A.frontend}&spanName=x&spanKind=server&${range}`,
  ],
  [
    '/api/tracehouse/operations/series',
    `/api/tracehouse/operations/series?service=${A.frontend}&spanName=x&spanKind=server&step=60&groupBy=service&${range}`,
  ],
  ['/api/tracehouse/traces/:traceId/stats', `/api/tracehouse/traces/${A.traceId}/stats?${range}`],
  ['/api/tracehouse/traces/:traceId/compact', `/api/tracehouse/traces/${A.traceId}/compact?${range}`],
  ['/api/tracehouse/traces/:traceId/outline', `/api/tracehouse/traces/${A.traceId}/outline?${range}`],
  // Jaeger v1: every parameter Jaeger reads with r.FormValue (one value).
  ['/jaeger/api/operations', `/jaeger/api/operations?service=${A.frontend}&spanKind=server`],
  [
    '/jaeger/api/traces',
    `/jaeger/api/traces?service=${A.frontend}&operation=x&start=${start}000000&end=${end}000000&limit=5&minDuration=1ms&maxDuration=1h&lookback=1h`,
  ],
  // By id (traceID is a list), the search's parameters are still read.
  ['/jaeger/api/traces', `/jaeger/api/traces?traceID=${A.traceId}&service=${A.frontend}&operation=x&limit=5`],
  ['/jaeger/api/traces/:traceID', `/jaeger/api/traces/${A.traceId}?start=1&end=2&raw=true`],
  ['/jaeger/api/dependencies', `/jaeger/api/dependencies?endTs=${end * 1000}&lookback=3600000&service=x`],
  // Jaeger v3, both spellings of each field.
  ['/jaeger/api/v3/operations', `/jaeger/api/v3/operations?service=${A.frontend}&span_kind=server`],
  ['/jaeger/api/v3/operations', `/jaeger/api/v3/operations?service=${A.frontend}&spanKind=server`],
  [
    '/jaeger/api/v3/traces',
    `/jaeger/api/v3/traces?query.service_name=${A.frontend}&query.operation_name=x&query.attributes=${encodeURIComponent('{"a":"b"}')}&query.duration_min=1ms&query.duration_max=1h&query.search_depth=5&query.raw_traces=true&${v3Window}`,
  ],
  [
    '/jaeger/api/v3/trace-summaries',
    `/jaeger/api/v3/trace-summaries?query.serviceName=${A.frontend}&query.operationName=x&query.durationMin=1ms&query.durationMax=1h&query.searchDepth=5&query.rawTraces=true&query.startTimeMin=${rfc(start)}&query.startTimeMax=${rfc(end)}`,
  ],
  [
    '/jaeger/api/v3/traces/:traceId',
    `/jaeger/api/v3/traces/${A.traceId}?start_time=${rfc(start)}&end_time=${rfc(end)}&raw_traces=true`,
  ],
  // Jaeger metrics (`service` and `spanKind` are lists there: see below).
  ['/jaeger/api/metrics/calls', `/jaeger/api/metrics/calls?${spm}`],
  ['/jaeger/api/metrics/errors', `/jaeger/api/metrics/errors?${spm}`],
  ['/jaeger/api/metrics/latencies', `/jaeger/api/metrics/latencies?${spm}&quantile=0.95`],
];

/** Parameters Jaeger reads as lists (`r.Form[…]`), which a client may repeat: not one-value ones. */
const LISTS: Record<string, string[]> = {
  '/jaeger/api/traces': ['traceID', 'tag', 'tags'],
  '/jaeger/api/metrics/calls': ['service'],
  '/jaeger/api/metrics/errors': ['service'],
  '/jaeger/api/metrics/latencies': ['service'],
};

/** What each API answers for `param` given twice: its status line's body. */
function expectedBody(route: string, param: string): unknown {
  const detail = 'given 2 times; give it once';
  if (route.startsWith('/jaeger/api/v3/'))
    return { error: { httpCode: 400, message: `malformed parameter ${param}: ${detail}` } };
  if (route.startsWith('/jaeger/'))
    return {
      data: null,
      total: 0,
      limit: 0,
      offset: 0,
      errors: [{ code: 400, msg: `unable to parse param '${param}': ${detail}` }],
    };
  return `invalid ${param}: ${detail}`;
}

const api = useApiOverTwoTenantStore();

async function get(path: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${api.base}${path}`, { headers: { 'x-scope-orgid': A.tenant } });
  const text = await response.text();
  const json = (response.headers.get('content-type') ?? '').startsWith('application/json');
  return { status: response.status, body: json ? (JSON.parse(text) as unknown) : text };
}

describe('repeated parameters', () => {
  it.each(ROUTES)('%s: each one-value parameter of %s', async (route, path) => {
    // As it is, the URL is answered (v3 searches answer an empty result with 404).
    expect([200, 404], path).toContain((await get(path)).status);
    const [pathname, query] = path.split('?');
    for (const [param, value] of new URLSearchParams(query)) {
      if (LISTS[route]?.includes(param)) continue;
      const url = `${pathname}?${query}&${new URLSearchParams([[param, value]]).toString()}`;
      expect({ url, ...(await get(url)) }).toEqual({ url, status: 400, body: expectedBody(route, param) });
    }
  });

  it("keeps Jaeger's list parameters repeatable", async () => {
    const tags = (json: object) => `tags=${encodeURIComponent(JSON.stringify(json))}`;
    const ok = [
      `/jaeger/api/traces?traceID=${A.traceId}&traceID=${'0'.repeat(31)}1`,
      `/jaeger/api/traces?service=${A.frontend}&tag=a:b&tag=c:d`,
      `/jaeger/api/traces?service=${A.frontend}&${tags({ a: 'b' })}&${tags({ c: 'd' })}`,
      `/jaeger/api/metrics/calls?${spm}&service=other&spanKind=server&spanKind=server`,
      `/jaeger/api/metrics/latencies?${spm}&service=other&quantile=0.5`,
    ];
    for (const url of ok) expect({ url, status: (await get(url)).status }).toEqual({ url, status: 200 });
  });

  it('covers every query route that reads parameters', () => {
    const covered = new Set(ROUTES.map(([route]) => route));
    // Routes that read no query parameter: a repeated one is ignored like any unknown one.
    const parameterless = [
      '/api/tracehouse/traces/:traceId',
      '/api/tracehouse/tenants',
      '/jaeger/api/services',
      '/jaeger/api/v3/services',
      '/jaeger/api/services/:service/operations',
      '/jaeger/api/metrics/minstep',
    ];
    const missing = api.server.queryRoutes.filter((r) => !covered.has(r) && !parameterless.includes(r));
    expect(missing).toEqual([]);
  });
});
