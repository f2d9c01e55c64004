import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthTokens } from '../auth/auth-tokens.js';
import { RequestIdentity } from '../auth/request-identity.js';
import { genericRouteUrl, queryRouteUrls } from '../../test/support/query-route-urls.js';
import type { TwoTenantStore } from '../../test/support/two-tenant-store.js';
import { openTwoTenantStore, TENANT_A, TENANT_B } from '../../test/support/two-tenant-store.js';
import { ApiServer } from './api-server.js';

/*
 * Refusals on every query route: 401 "no org id" when multitenancy is required (Tempo's answer),
 * and with bearer tokens 401 for a missing or unknown token (with a Bearer challenge, RFC 6750)
 * and 403 for a token of another tenant or without the query scope. Status endpoints, /ready and
 * /metrics stay open, as in Tempo.
 */

const TOKENS = AuthTokens.parse(
  `
query-token-for-tenant-a-0001: tenant-a
query-token-for-tenant-b-0002: { tenant: tenant-b, scopes: [query] }
ingest-token-for-tenant-a-003: { tenant: tenant-a, scopes: [ingest] }
`,
  'test tokens',
);
const TOKEN_A = 'query-token-for-tenant-a-0001';
const TOKEN_B = 'query-token-for-tenant-b-0002';
const INGEST_A = 'ingest-token-for-tenant-a-003';
const OPEN_PATHS = ['/ready', '/metrics', '/api/echo', '/api/status/buildinfo'];

let fixture: TwoTenantStore;
const servers: ApiServer[] = [];

async function serve(
  identity: RequestIdentity,
  corsAllowedOrigins?: string[],
): Promise<{ base: string; routes: string[] }> {
  const api = new ApiServer({
    endpoint: { host: '127.0.0.1', port: 0 },
    store: fixture.store,
    identity,
    corsAllowedOrigins,
  });
  servers.push(api);
  await api.start();
  api.markReady();
  return { base: `http://${api.address()}`, routes: api.queryRoutes };
}

beforeAll(async () => {
  fixture = await openTwoTenantStore();
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.shutdown()));
  await fixture?.close();
});

const urlOf = (route: string): string =>
  queryRouteUrls(TENANT_A, fixture.startMs)[route] ?? genericRouteUrl(route, TENANT_A);

async function get(base: string, path: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${base}${path}`, { headers });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: await response.text(),
  };
}

describe('multitenancy required', () => {
  it('answers 401 "no org id" on every query route without X-Scope-OrgID, and serves it with one', async () => {
    const { base, routes } = await serve(new RequestIdentity({ multitenancyRequired: true }));
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      expect({ route, ...(await get(base, urlOf(route))) }).toMatchObject({
        route,
        status: 401,
        body: 'no org id',
      });
      const named = await get(base, urlOf(route), { 'x-scope-orgid': TENANT_A.tenant });
      expect({ route, refused: named.status === 401 || named.status === 403 }).toEqual({
        route,
        refused: false,
      });
    }
    for (const path of OPEN_PATHS)
      expect({ path, status: (await get(base, path)).status }).toEqual({ path, status: 200 });
  });
});

describe('bearer tokens', () => {
  let base: string;
  let routes: string[];
  beforeAll(async () => {
    ({ base, routes } = await serve(new RequestIdentity({ multitenancyRequired: false, tokens: TOKENS })));
  });

  it('answers 401 with a Bearer challenge on every query route when the token is missing', async () => {
    for (const route of routes) {
      const r = await get(base, urlOf(route), { 'x-scope-orgid': TENANT_A.tenant });
      expect({ route, status: r.status, challenge: r.challenge }).toEqual({
        route,
        status: 401,
        challenge: 'Bearer realm="tracehouse"',
      });
      expect(r.body).toContain('missing bearer token');
    }
  });

  it('answers 401 however the path is percent-encoded: the route matched decides, not the URL', async () => {
    // The router decodes the path before matching: `/%61pi/…` is `/api/…`.
    const encodings = (url: string): string[] =>
      url.startsWith('/jaeger/')
        ? [url.replace('/jaeger/', '/%6Aaeger/'), url.replace('/jaeger/api/', '/jaeger/%61pi/')]
        : [url.replace('/api/', '/%61pi/'), url.replace('/api/', '/%61%70%69/')];
    for (const route of routes) {
      for (const url of encodings(urlOf(route))) {
        const r = await get(base, url, { 'x-scope-orgid': TENANT_A.tenant });
        expect({ url, status: r.status }).toEqual({ url, status: 401 });
        expect(r.body).not.toContain(TENANT_A.word);
      }
    }
    // The same URL with the token reaches the route: it is the route, not a 404.
    const traceUrl = queryRouteUrls(TENANT_A, fixture.startMs)['/api/traces/:traceId'];
    const allowed = await get(base, traceUrl.replace('/api/', '/%61pi/'), {
      authorization: `Bearer ${TOKEN_A}`,
    });
    expect(allowed.status).toBe(200);
    expect(allowed.body).toContain('alpha');
  });

  it('answers 401 invalid_token for an unknown token or another scheme, on every query route', async () => {
    for (const route of routes) {
      for (const authorization of [`Bearer ${TOKEN_A}x`, 'Bearer nope', `Basic ${TOKEN_A}`]) {
        const r = await get(base, urlOf(route), { authorization });
        expect({ route, authorization, status: r.status }).toEqual({ route, authorization, status: 401 });
        expect(r.challenge).toMatch(/^Bearer realm="tracehouse"/);
      }
    }
  });

  it("answers 403 for another tenant's token or a token without the query scope, on every query route", async () => {
    for (const route of routes) {
      const wrongTenant = await get(base, urlOf(route), {
        authorization: `Bearer ${TOKEN_B}`,
        'x-scope-orgid': TENANT_A.tenant,
      });
      expect({ route, status: wrongTenant.status }).toEqual({ route, status: 403 });
      expect(wrongTenant.body).toBe('this token is not valid for tenant "tenant-a" (X-Scope-OrgID)');
      const ingestOnly = await get(base, urlOf(route), { authorization: `Bearer ${INGEST_A}` });
      expect({ route, status: ingestOnly.status }).toEqual({ route, status: 403 });
      expect(ingestOnly.body).toContain('this token may not query');
    }
  });

  it("reads the token's tenant, with or without X-Scope-OrgID naming it", async () => {
    const urls = queryRouteUrls(TENANT_A, fixture.startMs);
    for (const route of [
      '/api/search',
      '/api/traces/:traceId',
      '/api/tracehouse/services',
      '/jaeger/api/services',
    ]) {
      for (const headers of [{}, { 'x-scope-orgid': TENANT_A.tenant }] as Record<string, string>[]) {
        const r = await get(base, urls[route], { authorization: `bearer ${TOKEN_A}`, ...headers });
        expect({ route, status: r.status, alpha: r.body.includes('alpha') }).toEqual({
          route,
          status: 200,
          alpha: true,
        });
        expect(r.body).not.toContain(TENANT_B.word);
      }
    }
  });

  it('leaves /ready, /metrics and the status endpoints open', async () => {
    for (const path of OPEN_PATHS)
      expect({ path, status: (await get(base, path)).status }).toEqual({ path, status: 200 });
  });
});

describe('CORS on the query API', () => {
  it('answers preflights without a token and lets a browser read the 401 of a request without one', async () => {
    const origin = 'https://grafana.example';
    const { base } = await serve(new RequestIdentity({ multitenancyRequired: false, tokens: TOKENS }), [
      origin,
    ]);
    const preflight = await fetch(`${base}/api/search`, {
      method: 'OPTIONS',
      headers: {
        origin,
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'authorization,x-scope-orgid',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('authorization,x-scope-orgid');
    const refused = await fetch(`${base}/api/search`, { headers: { origin } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('access-control-allow-origin')).toBe(origin);
    const other = await fetch(`${base}/api/search`, {
      headers: { origin: 'https://evil.example', authorization: `Bearer ${TOKEN_A}` },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers unless origins are configured', async () => {
    const { base } = await serve(RequestIdentity.open());
    const response = await fetch(`${base}/api/echo`, { headers: { origin: 'https://grafana.example' } });
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
  });
});
