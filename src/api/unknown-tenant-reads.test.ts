import { describe, expect, it } from 'vitest';
import { useApiOverTwoTenantStore } from '../../test/support/api-over-two-tenant-store.js';
import { genericRouteUrl, queryRouteUrls } from '../../test/support/query-route-urls.js';
import { TENANT_A } from '../../test/support/two-tenant-store.js';
import { encodeSpanBlocks } from '../store/rows/span-blocks.js';
import { EMPTY_READS_DATABASE } from '../store/trace-store.js';

/*
 * Reads of a tenant that has never written: every query route answers as for a tenant without
 * spans (empty, or 404 for a trace), and no database is created for it — otherwise any name a
 * client puts in X-Scope-OrgID would become a database. Once the tenant writes, its reads find
 * its spans.
 */

const api = useApiOverTwoTenantStore();

async function databases(): Promise<string[]> {
  const rows = await api.fixture.store.driver.query<{ name: string }>(
    "SELECT name FROM system.databases WHERE startsWith(name, 'tracehouse_') ORDER BY name",
  );
  return rows.map((r) => r.name);
}

describe('reads of a tenant without a database', () => {
  it('answer on every query route, without an error, and create no database', async () => {
    const before = await databases();
    const ghost = { ...TENANT_A, tenant: 'ghost-reader' };
    const urls = queryRouteUrls(ghost, api.fixture.startMs);
    const extra: [string, string][] = [
      // Jaeger's trace-by-ids form of the search route (getTraces), for an id no other route
      // asked (the read cache would answer it).
      ['/jaeger/api/traces (traceID)', `/jaeger/api/traces?traceID=${'c3'.repeat(16)}`],
    ];
    const routes: [string, string][] = api.server.queryRoutes.map((route) => [
      route,
      urls[route] ?? genericRouteUrl(route, ghost),
    ]);
    for (const [route, url] of [...routes, ...extra]) {
      const response = await fetch(`${api.base}${url}`, { headers: { 'x-scope-orgid': ghost.tenant } });
      const body = await response.text();
      expect({ route, ok: response.status === 200 || response.status === 404 }).toEqual({ route, ok: true });
      expect(body).not.toContain(TENANT_A.word);
    }
    const after = await databases();
    expect(after.filter((name) => !before.includes(name) && name !== EMPTY_READS_DATABASE)).toEqual([]);
    expect(after).not.toContain('tracehouse_ghost_0reader');
    expect(await api.fixture.store.listTenants()).not.toContain('ghost-reader');
  });

  it("find the tenant's spans once it has written", async () => {
    const { store } = api.fixture;
    expect(await store.getTrace('ghost-writer', TENANT_A.traceId)).toBeUndefined();
    const trace = await store.getTrace(TENANT_A.tenant, TENANT_A.traceId);
    expect(trace).toBeDefined();
    // The write creates the database; the read before it created none.
    await store.insertSpans('ghost-writer', encodeSpanBlocks(trace!));
    expect((await store.getTrace('ghost-writer', TENANT_A.traceId))?.length).toBe(trace!.length);
  });
});
