import { get as httpGet } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useApiOverTwoTenantStore } from '../../test/support/api-over-two-tenant-store.js';
import { setDefaultTenant, DEFAULT_TENANT } from '../model/tenant.js';
import { genericRouteUrl, queryRouteUrls } from '../../test/support/query-route-urls.js';
import type { TenantData } from '../../test/support/two-tenant-store.js';
import { TENANT_A, TENANT_B } from '../../test/support/two-tenant-store.js';

/*
 * X-Scope-OrgID on every read endpoint, as in Tempo: each tenant sees its own traces, services,
 * tags, metrics and dependencies and never another's, on the Tempo, native and Jaeger APIs alike.
 * The fixture names everything after its tenant ("alpha…", "bravo…"), so a body holding the other
 * tenant's word is a leak whatever the format.
 */

const api = useApiOverTwoTenantStore();

async function get(path: string, tenant?: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${api.base}${path}`, { headers: tenant ? { 'x-scope-orgid': tenant } : {} });
  return { status: response.status, body: await response.text() };
}

const other = (t: TenantData): TenantData => (t === TENANT_A ? TENANT_B : TENANT_A);

describe('tenant isolation (X-Scope-OrgID)', () => {
  it('knows a URL for every query route the server has', () => {
    // A route added without a line in query-route-urls.ts is still checked below (generically).
    expect(api.server.queryRoutes.length).toBeGreaterThan(20);
  });

  for (const t of [TENANT_A, TENANT_B]) {
    it(`answers ${t.tenant} with its own data only, on every route`, async () => {
      const urls = queryRouteUrls(t, api.fixture.startMs);
      const failures: string[] = [];
      for (const [route, url] of Object.entries(urls)) {
        if (!api.server.queryRoutes.includes(route)) continue; // a route another change removed or renamed
        const { status, body } = await get(url, t.tenant);
        if (status !== 200) failures.push(`${url}: ${status} ${body.slice(0, 200)}`);
        else if (!body.includes(t.word)) failures.push(`${url}: no "${t.word}" in ${body.slice(0, 200)}`);
        else if (body.includes(other(t).word)) failures.push(`${url}: leaks "${other(t).word}"`);
      }
      expect(failures).toEqual([]);
    });
  }

  it("does not find another tenant's trace by id on any trace route", async () => {
    const urls = queryRouteUrls(TENANT_A, api.fixture.startMs);
    const traceRoutes = Object.keys(urls).filter((r) => /\/traces\/:trace/i.test(r));
    expect(traceRoutes.length).toBeGreaterThanOrEqual(5);
    for (const route of traceRoutes) {
      const { status, body } = await get(urls[route], TENANT_B.tenant);
      expect({ route, status }).toEqual({ route, status: 404 });
      expect(body).not.toContain(TENANT_A.word);
    }
  });

  it("never shows another tenant's data on the routes the table does not know", async () => {
    const known = Object.keys(queryRouteUrls(TENANT_A, api.fixture.startMs));
    for (const route of api.server.queryRoutes.filter((r) => !known.includes(r))) {
      const { body } = await get(genericRouteUrl(route, TENANT_A), TENANT_B.tenant);
      expect({ route, leak: body.includes(TENANT_A.word) }).toEqual({ route, leak: false });
    }
  });

  it('reads the configured default tenant when a request names none', async () => {
    const urls = queryRouteUrls(TENANT_A, api.fixture.startMs);
    // Nothing stored under single-tenant: an unnamed request sees nothing of either tenant.
    expect((await get(urls['/api/search'])).body).not.toMatch(/alpha|bravo/);
    setDefaultTenant(TENANT_A.tenant);
    try {
      for (const route of ['/api/search', '/api/tracehouse/services', '/jaeger/api/services']) {
        const { status, body } = await get(urls[route]);
        expect({ route, status, alpha: body.includes('alpha') }).toEqual({ route, status: 200, alpha: true });
      }
      expect((await get(urls['/api/traces/:traceId'])).status).toBe(200);
    } finally {
      setDefaultTenant(DEFAULT_TENANT);
    }
  });

  it('answers 400 on every query route for X-Scope-OrgID given twice with different tenants; the same twice is that tenant', async () => {
    /** A GET whose X-Scope-OrgID goes as one header line per value (fetch would join them). */
    const getWithOrgIds = (path: string, orgIds: string[]) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        httpGet(`${api.base}${path}`, { headers: { 'x-scope-orgid': orgIds } }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (body += chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        }).on('error', reject);
      });
    const urls = queryRouteUrls(TENANT_A, api.fixture.startMs);
    const both = [TENANT_A.tenant, TENANT_B.tenant];
    for (const route of api.server.queryRoutes) {
      const { status, body } = await getWithOrgIds(urls[route] ?? genericRouteUrl(route, TENANT_A), both);
      expect({ route, status, body }).toEqual({
        route,
        status: 400,
        body: `X-Scope-OrgID given 2 times with different values (${both.map((t) => JSON.stringify(t)).join(', ')}): send one tenant`,
      });
    }
    const same = await getWithOrgIds(urls['/api/search'], [TENANT_A.tenant, TENANT_A.tenant]);
    expect({ status: same.status, alpha: same.body.includes(TENANT_A.word) }).toEqual({
      status: 200,
      alpha: true,
    });
  });

  it('answers 400 naming the tenant for an X-Scope-OrgID Tempo would refuse', async () => {
    const { status, body } = await get(
      queryRouteUrls(TENANT_A, api.fixture.startMs)['/api/search'],
      'bad/tenant',
    );
    expect(status).toBe(400);
    expect(body).toContain('invalid tenant "bad/tenant"');
  });
});
