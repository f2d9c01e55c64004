import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClickHouseDriver } from '../store/driver/clickhouse-driver.js';
import { TraceStore } from '../store/trace-store.js';
import { ApiServer } from './api-server.js';

/** A ClickHouse that fails every read, as one that is down would; `hang` makes reads never answer. */
function failingDriver(behaviour: { hang: boolean }): ClickHouseDriver {
  const fail = () =>
    behaviour.hang
      ? new Promise<never>(() => {})
      : Promise.reject(new Error('Connection refused (simulated ClickHouse outage)'));
  return {
    exec: fail,
    text: fail,
    query: fail,
    insertRowBinary: fail,
    insertNative: fail,
    stopInsert: () => Promise.resolve(),
    close: () => Promise.resolve(),
  };
}

describe('5xx answers of the query API are logged', () => {
  const lines: Record<string, unknown>[] = [];
  const behaviour = { hang: false };
  let api: ApiServer;
  beforeAll(async () => {
    const logger = pino(
      { level: 'info' },
      { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) },
    );
    api = new ApiServer({
      endpoint: { host: '127.0.0.1', port: 0 },
      store: new TraceStore(failingDriver(behaviour), { retentionSeconds: 0 }),
      queryTimeoutMs: 200,
      logger,
    });
    await api.start();
  });
  afterAll(() => api?.shutdown());

  async function logOf(path: string) {
    lines.length = 0;
    const response = await fetch(`http://${api.address()}${path}`);
    await response.text();
    // The line is written once the response has gone out.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return { status: response.status, lines: [...lines] };
  }

  it.each([
    ['GET /api/search', '/api/search'],
    ['GET /api/traces/:traceId', '/api/traces/0123'],
    ['GET /api/tracehouse/services', '/api/tracehouse/services'],
    // Jaeger's routes answer a 500 in their own envelope rather than throwing to Fastify.
    ['GET /jaeger/api/services', '/jaeger/api/services'],
    ['GET /jaeger/api/v3/services', '/jaeger/api/v3/services'],
  ])('%s: a 500 logs an error line naming the route and the error', async (route, path) => {
    const { status, lines: logged } = await logOf(path);
    expect(status).toBe(500);
    expect(logged).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'query request failed',
        route,
        status: 500,
        err: expect.objectContaining({
          message: 'Connection refused (simulated ClickHouse outage)',
        }) as unknown,
      }),
    ]);
  });

  it('a query out of its time budget (504) logs a warning', async () => {
    behaviour.hang = true;
    try {
      const { status, lines: logged } = await logOf('/api/search');
      expect(status).toBe(504);
      expect(logged).toEqual([expect.objectContaining({ level: 40, route: 'GET /api/search', status: 504 })]);
    } finally {
      behaviour.hang = false;
    }
  });

  it('a 4xx logs nothing', async () => {
    const { status, lines: logged } = await logOf('/api/search?limit=ten');
    expect({ status, logged }).toEqual({ status: 400, logged: [] });
  });
});
