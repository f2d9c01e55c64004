import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { CaptureExporter } from '../../../test/support/capture-exporter.js';
import type { TraceRequestBytes } from '../../consumer/traces-consumer.js';
import { silentLogger } from '../../logging/logger.js';
import { requestBytesOf } from '../../model/request-bytes.js';
import { ConfigNode } from '../../pipeline/config-node.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { OtlpGrpcReceiver } from '../../receivers/otlp/otlp-grpc-receiver.js';
import { InflightLimiter } from '../../receivers/shared/inflight-limiter.js';
import type { TracesExporter } from '../traces-exporter.js';
import { otlpExporterFactory } from './otlp-exporter-factory.js';

/*
 * The `otlp` exporter given undecoded requests (consumeTraceBytes): they go out as they came,
 * through the same retry and sending queue as models — the persistent one included, across a
 * restart. Every check counts the spans that arrive, so an undecoded batch read anywhere as an
 * empty model (acknowledged, then lost) fails here.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startBackend(capture: CaptureExporter, port = 0): Promise<OtlpGrpcReceiver> {
  const receiver = new OtlpGrpcReceiver(
    { endpoint: { host: '127.0.0.1', port }, maxRecvMsgSizeBytes: 16 << 20 },
    { logger: silentLogger(), next: capture, limiter: new InflightLimiter(64 << 20) },
  );
  cleanups.push(() => receiver.shutdown());
  await receiver.start();
  return receiver;
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

/** Two requests' bytes, as a batch of undecoded requests holds them. */
function request(seed: number): TraceRequestBytes {
  const parts = [seed, seed + 100].map((s) => encodeExportTraceServiceRequest(makeRealisticBatch(16, s)));
  return { parts, spans: 32 };
}

const config = (port: number, queue: string) => `
endpoint: 127.0.0.1:${port}
tls: { insecure: true }
compression: none
timeout: 1s
retry_on_failure: { initial_interval: 20ms, max_interval: 100ms, max_elapsed_time: 0 }
sending_queue: ${queue}
`;

describe('otlp exporter: undecoded requests', () => {
  it('sends their bytes joined, unchanged, with the queue off and on', async () => {
    const capture = new CaptureExporter();
    const backend = await startBackend(capture);
    const port = Number(backend.address().split(':').pop());
    for (const queue of ['{ enabled: false }', '{ num_consumers: 2, queue_size: 10 }']) {
      const exporter = await exporterFor(config(port, queue));
      const sent = request(queue.length);
      await exporter.consumeTraceBytes!(sent, { tenant: 'single-tenant' });
      await capture.waitForSpans(32);
      const last = capture.batches.at(-1)!;
      expect(requestBytesOf(last.data)).toEqual([Buffer.concat(sent.parts)]);
      capture.batches.length = 0;
    }
  });

  it('loses nothing acknowledged across a restart with a persistent queue', async () => {
    const storage = mkdtempSync(join(tmpdir(), 'tracehouse-bytes-queue-'));
    const capture = new CaptureExporter();
    const first = await startBackend(capture);
    const port = Number(first.address().split(':').pop());
    await first.shutdown();
    const queue = `{ num_consumers: 2, queue_size: 100, storage: ${storage} }`;
    const before = await exporterFor(config(port, queue));
    const sent = [1, 2, 3, 4, 5].map(request);
    for (const r of sent) await before.consumeTraceBytes!(r, { tenant: 'team-b' });
    await before.shutdown(); // acknowledged, unsent: on disk only
    await startBackend(capture, port);
    await exporterFor(config(port, queue));
    await capture.waitForSpans(160, 20_000);
    expect(capture.spanCount()).toBe(160);
    expect(new Set(capture.batches.map((b) => b.context.tenant))).toEqual(new Set(['team-b']));
    const ids = (data: ReturnType<CaptureExporter['allData']>): string[] =>
      data.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.spanId))).sort();
    const expected = [1, 2, 3, 4, 5].flatMap((seed) => [
      ...ids(makeRealisticBatch(16, seed)),
      ...ids(makeRealisticBatch(16, seed + 100)),
    ]);
    expect(ids(capture.allData())).toEqual(expected.sort());
  });

  it('is not offered by otlphttp with JSON encoding, which must encode spans', async () => {
    const { otlpHttpExporterFactory } = await import('../otlphttp/otlphttp-exporter-factory.js');
    const make = (encoding: string): TracesExporter =>
      otlpHttpExporterFactory.createTraces(
        { id: 'otlphttp', logger: silentLogger(), host: { limiter: new InflightLimiter(1) } },
        otlpHttpExporterFactory.parseConfig(
          new ConfigNode(
            parseYaml(`{ endpoint: 'http://127.0.0.1:1', encoding: ${encoding} }`) as unknown,
            'e',
          ),
        ),
      ) as TracesExporter;
    expect(make('proto').consumeTraceBytes !== undefined).toBe(true);
    expect(make('json').consumeTraceBytes === undefined).toBe(true);
  });
});
