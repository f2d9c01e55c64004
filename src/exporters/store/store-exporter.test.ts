import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAllInOne } from '../../app/all-in-one.js';
import { loopbackAllInOneConfig } from '../../app/loopback-config.js';
import type { RunningTracehouse } from '../../app/all-in-one.js';
import { openEmbeddedStore } from '../../app/open-embedded-store.js';
import type { OpenedStore } from '../../app/open-embedded-store.js';
import { silentLogger } from '../../logging/logger.js';
import { decodeExportTraceServiceRequestJson } from '../../otlp/json/decode-traces-json.js';
import { exportWith } from '../../../test/support/exporters.js';
import { expectedFlatSpan, flattenSpans, makeSdkSpans } from '../../../test/support/sdk-spans.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';

/*
 * receiver → store exporter → write-ahead log → flush → embedded ClickHouse → Tempo's trace-by-id
 * API, with the real OpenTelemetry exporter as the client. One engine per file (chdb's rule).
 */
let dir: string;
let storage: OpenedStore;
let running: RunningTracehouse;
let httpBase: string;
let apiBase: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-store-exporter-'));
  storage = await openEmbeddedStore(
    { dataDir: dir, retentionSeconds: 0, walMaxBytes: 64 * 1024 * 1024, flushIntervalMs: 200 },
    silentLogger(),
  );
  running = await startAllInOne(
    loopbackAllInOneConfig({ store: storage.store }),
    [storage.exporter],
    silentLogger(),
  );
  httpBase = `http://${running.receivers.find((r) => r.component === 'otlp-http')!.address()}`;
  apiBase = `http://${running.api.address()}`;
}, 60_000);

afterAll(async () => {
  await running.shutdown();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const bySpanId = <T extends { span: { spanId: string } }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => a.span.spanId.localeCompare(b.span.spanId));

async function fetchTrace(traceId: string, tenant?: string): Promise<Response> {
  return fetch(`${apiBase}/api/tracehouse/traces/${traceId}`, {
    headers: tenant ? { 'x-scope-orgid': tenant } : {},
  });
}

describe('store exporter', () => {
  it('stores what the real OTLP exporter sent; trace by id returns it field by field within 2 s', async () => {
    const spans = await makeSdkSpans();
    const exporter = new OTLPTraceExporter({ url: `${httpBase}/v1/traces` });
    expect((await exportWith(exporter, spans)).code).toBe(ExportResultCode.SUCCESS);
    await exporter.shutdown();
    const acknowledged = Date.now();
    const traceId = spans[0].spanContext().traceId;
    let res = await fetchTrace(traceId);
    while (res.status === 404 && Date.now() - acknowledged < 2000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      res = await fetchTrace(traceId);
    }
    expect(res.status).toBe(200);
    const stored = decodeExportTraceServiceRequestJson(await res.json());
    expect(bySpanId(flattenSpans(stored))).toEqual(bySpanId(spans.map(expectedFlatSpan)));
  });

  it('keeps tenants apart and refuses an invalid tenant with 400', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    const body = Buffer.from(
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  {
                    traceId: '7777777777777777777777777777777a',
                    spanId: '1234567812345678',
                    name: 'tenant-a-span',
                    startTimeUnixNano: now.toString(),
                    endTimeUnixNano: now.toString(),
                  },
                ],
              },
            ],
          },
        ],
      }),
    );
    const post = (tenant: string) =>
      fetch(`${httpBase}/v1/traces`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', 'x-scope-orgid': tenant },
      });
    expect((await post('tenant-a')).status).toBe(200);
    await storage.exporter.flushAll();
    expect((await fetchTrace('7777777777777777777777777777777a', 'tenant-a')).status).toBe(200);
    expect((await fetchTrace('7777777777777777777777777777777a', 'tenant-b')).status).toBe(404);
    expect((await fetchTrace('7777777777777777777777777777777a')).status).toBe(404);
    const bad = await post('bad tenant/../x');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/tenant/);
  });

  it('answers 400 for a malformed trace id and pads short ones', async () => {
    expect((await fetchTrace('not-hex')).status).toBe(400);
    const data = oneSpanRequest({
      traceId: '00000000000000000000000000abcdef',
      startTimeUnixNano: BigInt(Date.now()) * 1_000_000n,
      endTimeUnixNano: BigInt(Date.now()) * 1_000_000n,
    });
    await storage.exporter.consumeTraces(data, { tenant: 'single-tenant' });
    await storage.exporter.flushAll();
    expect((await fetchTrace('abcdef')).status).toBe(200);
  });
});

describe('store exporter flushes', () => {
  it('never overlap: concurrent flushAll calls all settle and store each span once', async () => {
    const now = BigInt(Date.now()) * 1_000_000n;
    for (let i = 0; i < 20; i++) {
      await storage.exporter.consumeTraces(
        oneSpanRequest({
          traceId: `${i.toString(16).padStart(4, '0')}${'e'.repeat(28)}`,
          startTimeUnixNano: now,
          endTimeUnixNano: now,
        }),
        { tenant: 'concurrent' },
      );
    }
    await Promise.all([
      storage.exporter.flushAll(),
      storage.exporter.flushAll(),
      storage.exporter.flushAll(),
    ]);
    const [row] = await storage.store.driver.query<{ n: string }>(
      'SELECT toString(count()) AS n FROM tracehouse_concurrent.otel_traces',
    );
    expect(row.n).toBe('20');
  });
});
