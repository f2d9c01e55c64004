import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { useApiOverTwoTenantStore } from '../../test/support/api-over-two-tenant-store.js';
import { TraceStore } from '../store/trace-store.js';
import { queryRouteUrls } from '../../test/support/query-route-urls.js';
import { TENANT_A } from '../../test/support/two-tenant-store.js';
import { registerQueryDeadlineHook } from './query-deadline-hook.js';

/*
 * Per-query limits with clear errors: a time budget (504), the largest search limit (400, as
 * Tempo since grafana/tempo#3340) and the most spans a trace read returns (422).
 */

const api = useApiOverTwoTenantStore((fixture) => ({
  // Each fixture trace has three spans: a limit of two refuses them.
  store: new TraceStore(fixture.store.driver, { retentionSeconds: 0, maxTraceSpans: 2 }),
  maxSearchLimit: 50,
}));

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${api.base}${path}`, { headers: { 'x-scope-orgid': TENANT_A.tenant } });
  return { status: response.status, body: await response.text() };
}

describe('query time budget', () => {
  it('answers 504 with a clear message when a query route outlives --query-timeout, and stays up', async () => {
    const app = Fastify();
    registerQueryDeadlineHook(app, 100);
    const late: string[] = [];
    app.get('/api/slow', async (_request, reply) => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      late.push('finished');
      return reply.send('too late');
    });
    app.get('/api/fast', () => 'fast');
    app.get('/assets/slow', async () => {
      await new Promise((resolve) => setTimeout(resolve, 200));
      return 'static files have no budget';
    });
    try {
      const slow = await app.inject('/api/slow');
      expect(slow.statusCode).toBe(504);
      expect(slow.body).toBe(
        'query timed out after 100ms (--query-timeout): narrow the time range or the query',
      );
      await expect.poll(() => late).toEqual(['finished']);
      expect((await app.inject('/api/fast')).body).toBe('fast');
      expect((await app.inject('/assets/slow')).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it("stops ClickHouse's work by the same deadline: a route's read ends with its 504 instead of running on", async () => {
    const app = Fastify();
    registerQueryDeadlineHook(app, 1000);
    const outcome: string[] = [];
    // Tens of seconds of work for the engine, with no limit of its own.
    const scan = 'SELECT count() AS n FROM numbers(30000000000) WHERE cityHash64(number) % 7 = 3';
    app.get('/api/scan', async (_request, reply) => {
      try {
        await api.fixture.store.driver.query(scan);
        outcome.push('finished');
      } catch (error) {
        outcome.push(String(error));
      }
      return reply.send('too late');
    });
    try {
      expect((await app.inject('/api/scan')).statusCode).toBe(504);
      await expect.poll(() => outcome, { timeout: 3000 }).toHaveLength(1);
      expect(outcome[0]).toContain('TIMEOUT_EXCEEDED');
      // The store's session is free again at once: its next read is not queued behind the scan.
      expect(await api.fixture.store.driver.query<{ one: number }>('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await app.close();
    }
  });
});

describe('result size', () => {
  it('refuses a search limit over --max-search-limit with 400 naming both numbers', async () => {
    const over = await get('/api/search?limit=51');
    expect(over).toEqual({
      status: 400,
      body: 'invalid limit: 51 exceeds the maximum of 50 (--max-search-limit)',
    });
    expect((await get('/api/search?limit=50')).status).toBe(200);
  });

  it('refuses a trace past --max-trace-spans with 422 on every trace-by-id route, without reading it whole', async () => {
    const urls = queryRouteUrls(TENANT_A, api.fixture.startMs);
    const message = `trace ${TENANT_A.traceId} has more than 2 spans, the most one request may return (--max-trace-spans)`;
    for (const route of [
      '/api/traces/:traceId',
      '/api/v2/traces/:traceId',
      '/api/tracehouse/traces/:traceId',
    ]) {
      expect({ route, ...(await get(urls[route])) }).toEqual({ route, status: 422, body: message });
    }
    for (const route of ['/jaeger/api/traces/:traceID', '/jaeger/api/v3/traces/:traceId']) {
      const { status, body } = await get(urls[route]);
      expect({ route, status }).toEqual({ route, status: 422 });
      expect(body).toContain(message);
    }
  });
});
