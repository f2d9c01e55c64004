import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../logging/logger.js';
import { emptySpan } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { ConfigNode } from '../../pipeline/config-node.js';
import { OtlpGrpcReceiver } from '../../receivers/otlp/otlp-grpc-receiver.js';
import { InflightLimiter } from '../../receivers/shared/inflight-limiter.js';
import { CaptureExporter } from '../../../test/support/capture-exporter.js';
import type { TracesExporter } from '../traces-exporter.js';
import { otlpExporterFactory } from './otlp-exporter-factory.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function startBackend(capture: CaptureExporter, port = 0): Promise<OtlpGrpcReceiver> {
  const receiver = new OtlpGrpcReceiver(
    { endpoint: { host: '127.0.0.1', port }, maxRecvMsgSizeBytes: 4 << 20 },
    { logger: silentLogger(), next: capture, limiter: new InflightLimiter(64 << 20) },
  );
  cleanups.push(() => receiver.shutdown());
  return receiver.start().then(() => receiver);
}

async function exporterFor(yaml: string): Promise<TracesExporter> {
  const node = new ConfigNode(parseYaml(yaml) as unknown, 'exporters.otlp');
  const exporter = await otlpExporterFactory.createTraces(
    { id: 'otlp', logger: silentLogger(), host: { limiter: new InflightLimiter(1) } },
    otlpExporterFactory.parseConfig(node),
  );
  await exporter.start();
  cleanups.push(() => exporter.shutdown());
  return exporter;
}

function oneTrace(i: number): TracesData {
  const traceId = (i + 1).toString(16).padStart(32, '0'); // never the all-zero (invalid) id
  return [
    {
      resource: { attributes: [{ key: 'service.name', value: 'queue-test' }], droppedAttributesCount: 0 },
      scopeSpans: [
        {
          scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 },
          spans: [{ ...emptySpan(), traceId, spanId: '1'.padStart(16, '0'), name: `t${i}` }],
          schemaUrl: '',
        },
      ],
      schemaUrl: '',
    },
  ];
}

const received = (capture: CaptureExporter): Set<string> =>
  new Set(capture.allData().flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name))));

const config = (port: number, storage?: string) => `
endpoint: 127.0.0.1:${port}
tls: { insecure: true }
timeout: 1s
retry_on_failure: { initial_interval: 20ms, max_interval: 100ms, max_elapsed_time: 0 }
sending_queue: { num_consumers: 2, queue_size: 500${storage ? `, storage: ${storage}` : ''} }
`;

describe('otlp exporter: retry and sending queue', () => {
  it('keeps retrying while the backend is down and delivers everything once it is back', async () => {
    const capture = new CaptureExporter();
    const first = await startBackend(capture);
    const port = Number(first.address().split(':').pop());
    const exporter = await exporterFor(config(port));
    const ctx = { tenant: 'single-tenant' };
    for (let i = 0; i < 50; i++) await exporter.consumeTraces(oneTrace(i), ctx);
    await capture.waitForSpans(50);
    await first.shutdown();
    // Accepted (queued) while nobody listens.
    for (let i = 50; i < 100; i++) await exporter.consumeTraces(oneTrace(i), ctx);
    await new Promise((r) => setTimeout(r, 300));
    await startBackend(capture, port);
    await capture.waitForSpans(100, 20_000);
    expect(received(capture).size).toBe(100);
  });

  it('loses nothing acknowledged across an exporter restart with a persistent queue', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'tracehouse-queue-'));
    const capture = new CaptureExporter();
    const first = await startBackend(capture);
    const port = Number(first.address().split(':').pop());
    await first.shutdown();
    const ctx = { tenant: 'team-a' };
    const before = await exporterFor(config(port, storage));
    for (let i = 0; i < 40; i++) await before.consumeTraces(oneTrace(i), ctx);
    await before.shutdown(); // the process stops with 40 acknowledged batches unsent
    await startBackend(capture, port);
    await exporterFor(config(port, storage));
    await capture.waitForSpans(40, 20_000);
    expect(received(capture).size).toBe(40);
    expect(new Set(capture.batches.map((b) => b.context.tenant))).toEqual(new Set(['team-a']));
  });

  it('refuses with a retryable error when the in-memory queue is full', async () => {
    const exporter = await exporterFor(`
endpoint: 127.0.0.1:1
tls: { insecure: true }
retry_on_failure: { initial_interval: 1s }
sending_queue: { num_consumers: 1, queue_size: 3 }
`);
    const ctx = { tenant: 'single-tenant' };
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => exporter.consumeTraces(oneTrace(i), ctx)),
    );
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.map((r) => (r.reason as Error).name)).toEqual([
      'RetryableError',
      'RetryableError',
      'RetryableError',
    ]);
  });
});
