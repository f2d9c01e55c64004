import { describe, expect, it } from 'vitest';
import { useApiOverTwoTenantStore } from '../../test/support/api-over-two-tenant-store.js';
import { genericRouteUrl, queryRouteUrls } from '../../test/support/query-route-urls.js';
import { TENANT_A } from '../../test/support/two-tenant-store.js';

/*
 * Malformed parameters on every query route: 400 with a message naming what is wrong (Tempo and
 * Jaeger answer 400 for what the client can fix), never a 500 or a silently empty answer. Every
 * route also refuses an X-Scope-OrgID that Tempo would refuse; the table adds each route's own
 * parameters, as `[route, path, what the message must name]`.
 */

const A = TENANT_A;
/** A numeral no double holds (Number() of it is Infinity). */
const HUGE = '9'.repeat(400);
const RATE = encodeURIComponent('{ } | rate()');
const CASES: [route: string, path: string, names: RegExp][] = [
  ['/api/traces/:traceId', '/api/traces/not-hex', /invalid trace id "not-hex"/],
  ['/api/traces/:traceId', `/api/traces/${A.traceId}?start=yesterday`, /^invalid start: "yesterday"/],
  ['/api/traces/:traceId', `/api/traces/${A.traceId}?start=0&end=1e300`, /^invalid end: "1e300"/],
  [
    '/api/traces/:traceId',
    `/api/traces/${A.traceId}?end=9223372036854775807`,
    /^invalid end: .* out of range/,
  ],
  ['/api/traces/:traceId', `/api/traces/${A.traceId}?start=0x10`, /^invalid start: "0x10"/],
  ['/api/traces/:traceId', `/api/traces/${A.traceId}?start=%20`, /^invalid start: " "/],
  ['/api/traces/:traceId', `/api/traces/${A.traceId}?end=1e3`, /^invalid end: "1e3"/],
  ['/api/v2/traces/:traceId', `/api/v2/traces/${'f'.repeat(33)}`, /invalid trace id/],
  ['/api/v2/traces/:traceId', `/api/v2/traces/${A.traceId}?start=10&end=5`, /invalid time range/],
  ['/api/v2/traces/:traceId', `/api/v2/traces/${A.traceId}?start=0&end=1e20`, /^invalid end: "1e20"/],
  ['/api/search', `/api/search?q=${encodeURIComponent('{ .a = }')}`, /invalid TraceQL query/],
  [
    '/api/search',
    '/api/search?q=%E0%A4%A',
    /^invalid q: not valid percent-encoding: "%E0%A4" at character 1 is not UTF-8$/,
  ],
  [
    '/api/search',
    `/api/search?q=${encodeURIComponent('{ .a =~ "\\\\" }')}`,
    /^invalid TraceQL query: invalid regular expression "\\\\": trailing backslash at end of expression at 1:9$/,
  ],
  ['/api/search', '/api/search?limit=ten', /invalid limit/],
  ['/api/search', '/api/search?limit=0', /invalid limit/],
  ['/api/search', '/api/search?limit=20001', /invalid limit: 20001 exceeds the maximum of 20000/],
  ['/api/search', '/api/search?spss=-1', /invalid spss/],
  ['/api/search', '/api/search?minDuration=fast', /invalid minDuration/],
  // Past 2^63 − 1 ns, as Go's time.ParseDuration refuses it (it used to wrap to a tiny bound).
  ['/api/search', '/api/search?minDuration=2562048h', /^invalid minDuration: "2562048h" is out of range/],
  ['/api/search', '/api/search?maxDuration=3000000h', /^invalid maxDuration: "3000000h" is out of range/],
  ['/api/search', `/api/search?minDuration=${HUGE}h`, /^invalid minDuration: "9+h" is out of range/],
  ['/api/search', `/api/search?start=${HUGE}`, /^invalid start: 9+ is out of range/],
  ['/api/search', '/api/search?end=9223372036854775807', /^invalid end: 9223372036854775807 is out of range/],
  ['/api/search', '/api/search?start=soon', /start/],
  ['/api/search/tags', '/api/search/tags?limit=lots', /invalid limit/],
  ['/api/search/tags', '/api/search/tags?start=abc', /start/],
  ['/api/search/tags', '/api/search/tags?end=9223372036854775807', /^invalid end: .* out of range/],
  ['/api/v2/search/tags', '/api/v2/search/tags?scope=nowhere', /invalid scope "nowhere"/],
  ['/api/search/tag/:tag/values', '/api/search/tag/service.name/values?limit=0', /invalid limit/],
  ['/api/v2/search/tag/:tag/values', '/api/v2/search/tag/resource.service.name/values?end=x', /end/],
  ['/api/metrics/query_range', '/api/metrics/query_range', /invalid q: a TraceQL metrics query is required/],
  [
    '/api/metrics/query_range',
    `/api/metrics/query_range?q=${encodeURIComponent('{ } | rate()')}&step=-1s`,
    /step/,
  ],
  [
    '/api/metrics/query',
    `/api/metrics/query?q=${encodeURIComponent('{ } | rate()')}&start=yesterday`,
    /start/,
  ],
  [
    '/api/metrics/query_range',
    `/api/metrics/query_range?q=${RATE}&step=${HUGE}`,
    /^invalid step: "9+" is out of range/,
  ],
  [
    '/api/metrics/query_range',
    `/api/metrics/query_range?q=${RATE}&since=${HUGE}h`,
    /^invalid since: .* out of range/,
  ],
  [
    '/api/metrics/query_range',
    `/api/metrics/query_range?q=${RATE}&start=${HUGE}.5`,
    /^invalid start: .* out of range/,
  ],
  [
    '/api/metrics/query_range',
    `/api/metrics/query_range?q=${RATE}&end=${HUGE}.5`,
    /^invalid end: .* out of range/,
  ],
  [
    '/api/metrics/query_range',
    `/api/metrics/query_range?q=${RATE}&end=${HUGE}`,
    /^invalid end: .* out of range/,
  ],
  // A step that is 0 ns once below-nanosecond fractions are dropped would divide by zero.
  [
    '/api/metrics/query_range',
    `/api/metrics/query_range?q=${RATE}&step=0.0000000001`,
    /^invalid step: .*1ns/,
  ],
  ['/api/metrics/query_range', `/api/metrics/query_range?q=${RATE}&step=0.4ns`, /^invalid step: .*1ns/],
  ['/api/metrics/query', `/api/metrics/query?q=${RATE}&since=2562048h`, /^invalid since: .* out of range/],
  ['/api/tracehouse/traces/:traceId', '/api/tracehouse/traces/xyz', /invalid trace id "xyz"/],
  ['/api/tracehouse/traces/:traceId/stats', '/api/tracehouse/traces/xyz/stats', /invalid trace id "xyz"/],
  ['/api/tracehouse/traces/:traceId/compact', '/api/tracehouse/traces/xyz/compact', /invalid trace id "xyz"/],
  ['/api/tracehouse/traces/:traceId/outline', '/api/tracehouse/traces/xyz/outline', /invalid trace id "xyz"/],
  [
    '/api/tracehouse/traces/:traceId/compact',
    `/api/tracehouse/traces/${A.traceId}/compact?start=noon`,
    /invalid start/,
  ],
  ['/api/tracehouse/service-graph', '/api/tracehouse/service-graph?edges=some', /edges/],
  ['/api/tracehouse/services', '/api/tracehouse/services?end=later', /end/],
  [
    '/api/tracehouse/services',
    '/api/tracehouse/services?end=9223372036854775807',
    /^invalid end: .* out of range/,
  ],
  ['/api/tracehouse/operations', '/api/tracehouse/operations?spanKind=weird', /invalid spanKind: "weird"/],
  ['/api/tracehouse/operations/series', '/api/tracehouse/operations/series?step=0', /invalid step/],
  ['/api/tracehouse/operations/series', '/api/tracehouse/operations/series?groupBy=host', /groupBy/],
  ['/jaeger/api/traces', '/jaeger/api/traces', /service/],
  ['/jaeger/api/traces', `/jaeger/api/traces?service=${A.frontend}&limit=many`, /limit/],
  [
    '/jaeger/api/traces',
    `/jaeger/api/traces?service=${A.frontend}&tag=a%3Ab%ZZ`,
    /unable to parse param 'tag': not valid percent-encoding: \\"%ZZ\\" at character 6/,
  ],
  ['/jaeger/api/traces', `/jaeger/api/traces?service=${A.frontend}&start=noon`, /start/],
  [
    '/jaeger/api/traces',
    `/jaeger/api/traces?service=${A.frontend}&minDuration=3000000h`,
    /unable to parse param 'minDuration': \\"3000000h\\" is out of range/,
  ],
  [
    '/jaeger/api/traces',
    `/jaeger/api/traces?service=${A.frontend}&maxDuration=3000000h`,
    /unable to parse param 'maxDuration': \\"3000000h\\" is out of range/,
  ],
  [
    '/jaeger/api/traces',
    `/jaeger/api/traces?service=${A.frontend}&minDuration=${HUGE}h`,
    /unable to parse param 'minDuration': .* is out of range/,
  ],
  [
    '/jaeger/api/traces',
    `/jaeger/api/traces?service=${A.frontend}&lookback=${HUGE}h`,
    /param 'lookback'.*out of range/,
  ],
  [
    '/jaeger/api/traces',
    `/jaeger/api/traces?service=${A.frontend}&lookback=${HUGE}d`,
    /param 'lookback'.*out of range/,
  ],
  [
    '/jaeger/api/traces',
    `/jaeger/api/traces?service=${A.frontend}&lookback=106752d`,
    /param 'lookback'.*out of range/,
  ],
  ['/jaeger/api/traces/:traceID', '/jaeger/api/traces/xyz', /xyz|trace/i],
  ['/jaeger/api/dependencies', '/jaeger/api/dependencies?endTs=tomorrow', /endTs/],
  ['/jaeger/api/v3/traces', `/jaeger/api/v3/traces?query.service_name=${A.frontend}`, /start_time_min/],
  ['/jaeger/api/v3/traces/:traceId', '/jaeger/api/v3/traces/xyz', /xyz|trace/i],
  ['/jaeger/api/v3/trace-summaries', '/jaeger/api/v3/trace-summaries', /start_time_min/],
  [
    '/jaeger/api/v3/traces',
    `/jaeger/api/v3/traces?query.start_time_min=2020-01-01T00:00:00Z&query.start_time_max=2030-01-01T00:00:00Z&query.duration_max=3000000h`,
    /malformed parameter query.duration_max: \\"3000000h\\" is out of range/,
  ],
  [
    '/jaeger/api/v3/traces',
    `/jaeger/api/v3/traces?query.start_time_min=2020-01-01T00:00:00Z&query.start_time_max=2030-01-01T00:00:00Z&query.duration_min=${HUGE}h`,
    /malformed parameter query.duration_min: .* is out of range/,
  ],
  [
    '/jaeger/api/v3/traces',
    '/jaeger/api/v3/traces?query.service_name=%C3',
    /malformed parameter query.service_name: not valid percent-encoding: \\"%C3\\" at character 1 is not UTF-8/,
  ],
  ['/jaeger/api/metrics/calls', '/jaeger/api/metrics/calls', /service/],
  ['/jaeger/api/metrics/errors', `/jaeger/api/metrics/errors?service=${A.frontend}&step=abc`, /step/],
  [
    '/jaeger/api/metrics/latencies',
    `/jaeger/api/metrics/latencies?service=${A.frontend}&quantile=2`,
    /quantile/,
  ],
  // strconv.ParseFloat refuses hex without a p exponent; Number() took it as 1.
  [
    '/jaeger/api/metrics/latencies',
    `/jaeger/api/metrics/latencies?service=${A.frontend}&quantile=0x1`,
    /unable to parse param 'quantile': \\"0x1\\"/,
  ],
];

const api = useApiOverTwoTenantStore(() => ({ maxSearchLimit: 20_000 }));

async function get(path: string, tenant = A.tenant): Promise<{ status: number; body: string }> {
  const response = await fetch(`${api.base}${path}`, { headers: { 'x-scope-orgid': tenant } });
  return { status: response.status, body: await response.text() };
}

describe('malformed parameters', () => {
  it.each(CASES)('%s: %s → 400 naming the problem', async (route, path, names) => {
    if (!api.server.queryRoutes.includes(route)) return; // a route another change removed or renamed
    const { status, body } = await get(path);
    expect({ status, body }).toEqual({ status: 400, body: expect.stringMatching(names) as unknown });
  });

  it('refuses a malformed X-Scope-OrgID with 400 on every query route', async () => {
    const urls = queryRouteUrls(A, api.fixture.startMs);
    for (const route of api.server.queryRoutes) {
      for (const tenant of ['a/b', 'x'.repeat(65), '..']) {
        const { status, body } = await get(urls[route] ?? genericRouteUrl(route, A), tenant);
        expect({ route, tenant, status }).toEqual({ route, tenant, status: 400 });
        expect(body).toContain('invalid tenant');
      }
    }
  });

  it('takes names longer than 100 characters in the path (Fastify refuses longer ones by default)', async () => {
    const name = `svc-${'x'.repeat(196)}`;
    for (const path of [
      `/jaeger/api/services/${name}/operations`,
      `/api/search/tag/${name}/values`,
      `/api/v2/search/tag/span.${name}/values`,
    ]) {
      const { status } = await get(path);
      expect({ path: path.slice(0, 30), status }).toEqual({ path: path.slice(0, 30), status: 200 });
    }
  });

  it('has a malformed-parameter case for every route that takes parameters', () => {
    const covered = new Set(CASES.map(([route]) => route));
    // Routes without parameters of their own: only the tenant header can be malformed there.
    const parameterless = [
      '/jaeger/api/services',
      '/jaeger/api/v3/services',
      '/jaeger/api/services/:service/operations',
      '/jaeger/api/operations',
      '/jaeger/api/v3/operations',
      '/api/tracehouse/tenants',
      '/jaeger/api/metrics/minstep',
    ];
    const missing = api.server.queryRoutes.filter((r) => !covered.has(r) && !parameterless.includes(r));
    expect(missing).toEqual([]);
  });
});
