import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FixtureStore } from '../../test/support/fixture-store.js';
import { openFixtureStore } from '../../test/support/fixture-store.js';
import { NOW_NANOS } from '../../test/support/every-kind-batch.js';
import { decodeExportTraceServiceRequestJson } from '../otlp/json/decode-traces-json.js';
import { TraceStore } from '../store/trace-store.js';
import { ApiServer } from './api-server.js';

/*
 * The black-box probe's span: its attributes repeat a key with another type. OTLP says keys SHOULD
 * be unique, but the Collector and Tempo keep such a span and return it; each trace read answered
 * 500 "Cannot convert two to a BigInt" for it, whether read from the trace-id-ordered copy or
 * from otel_traces.
 */
const TENANT = 'probe';
const TRACE_ID = '5eed'.repeat(8);
const start = NOW_NANOS.toString();
const request = {
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: 'probe' } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: TRACE_ID,
              spanId: '5eed5eed5eed5eed',
              name: 'duplicate keys',
              kind: 1,
              startTimeUnixNano: start,
              endTimeUnixNano: start,
              attributes: [
                { key: 'dup', value: { intValue: '1' } },
                { key: 'dup', value: { stringValue: 'two' } },
              ],
            },
          ],
        },
      ],
    },
  ],
};

let fixture: FixtureStore;
let api: ApiServer;
let base: string;

beforeAll(async () => {
  fixture = await openFixtureStore({ [TENANT]: decodeExportTraceServiceRequestJson(request) });
  const uncached = new TraceStore(fixture.driver, {
    retentionSeconds: 0,
    traceCache: { maxSpans: 0, maxAgeMs: 0 },
  });
  api = new ApiServer({ endpoint: { host: '127.0.0.1', port: 0 }, store: uncached, maxSearchLimit: 100 });
  await api.start();
  base = `http://${api.address()}`;
});

afterAll(async () => {
  await api?.shutdown();
  await fixture?.close();
});

async function get(path: string): Promise<{ status: number; body: string }> {
  const response = await fetch(`${base}${path}`, { headers: { 'x-scope-orgid': TENANT } });
  return { status: response.status, body: await response.text() };
}

const PATHS = [
  `/api/traces/${TRACE_ID}`,
  `/api/tracehouse/traces/${TRACE_ID}/compact`,
  `/jaeger/api/traces/${TRACE_ID}`,
];

describe('a span whose attributes repeat a key with another type', () => {
  it.each(PATHS)('reads from the copy: %s', async (path) => {
    const { status, body } = await get(path);
    expect({ path, status }).toEqual({ path, status: 200 });
    expect(body).toContain('two');
  });

  it('reads from otel_traces, with the copy gone, the same', async () => {
    await fixture.driver.exec(
      `ALTER TABLE \`${await fixture.store.database(TENANT)}\`.tracehouse_trace_spans DELETE WHERE 1 SETTINGS mutations_sync = 2`,
    );
    for (const path of PATHS) {
      const { status, body } = await get(path);
      expect({ path, status }).toEqual({ path, status: 200 });
      expect(body).toContain('two');
    }
  });

  it('answers the compact form with both values, each with its own type', async () => {
    const compact = JSON.parse((await get(`/api/tracehouse/traces/${TRACE_ID}/compact`)).body) as {
      values: unknown[];
    };
    expect(compact.values).toEqual(expect.arrayContaining([{ intValue: '1' }, 'two']));
  });

  it('answers Tempo with both attributes, each with its own type', async () => {
    const { body } = await get(`/api/traces/${TRACE_ID}`);
    expect(body).toContain(
      '"attributes":[{"key":"dup","value":{"intValue":"1"}},{"key":"dup","value":{"stringValue":"two"}}]',
    );
  });
});
