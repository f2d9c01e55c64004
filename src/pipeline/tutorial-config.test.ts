import { readFileSync } from 'node:fs';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { ExportResultCode } from '@opentelemetry/core';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { OtlpGrpcReceiver } from '../receivers/otlp/otlp-grpc-receiver.js';
import { InflightLimiter } from '../receivers/shared/inflight-limiter.js';
import { CaptureExporter } from '../../test/support/capture-exporter.js';
import { exportWith } from '../../test/support/exporters.js';
import { expectedFlatSpan, flattenSpans, makeSdkSpans } from '../../test/support/sdk-spans.js';
import { builtinComponents } from './builtin-components.js';
import { parseConfigText } from './load-config.js';
import { receiverAddress, runConfigText } from './run-config.test-support.js';
import type { Service } from './service.js';

const TUTORIAL = readFileSync(new URL('testdata/tutorial.yaml', import.meta.url), 'utf8');

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function startBackend(): Promise<{ capture: CaptureExporter; address: string }> {
  const capture = new CaptureExporter();
  const backend = new OtlpGrpcReceiver(
    { endpoint: { host: '127.0.0.1', port: 0 }, maxRecvMsgSizeBytes: 4 * 1024 * 1024 },
    { logger: silentLogger(), next: capture, limiter: new InflightLimiter(64 * 1024 * 1024) },
  );
  await backend.start();
  stops.push(() => backend.shutdown());
  return { capture, address: backend.address() };
}

const byId = <T extends { span: { spanId: string } }>(list: T[]): T[] =>
  [...list].sort((a, b) => a.span.spanId.localeCompare(b.span.spanId));

describe('the classic tutorial config', () => {
  it('parses unchanged into one pipeline otlp → batch → otlp', () => {
    const config = parseConfigText(TUTORIAL, {}, builtinComponents());
    expect(config.pipelines).toEqual([
      { id: 'traces', receivers: ['otlp'], processors: ['batch'], exporters: ['otlp'] },
    ]);
    expect(config.exporters.get('otlp')?.config).toMatchObject({
      target: 'tempo:4317',
      tls: { insecure: true },
      compression: 'gzip',
      timeoutMs: 5000,
    });
  });

  it('carries an SDK application’s trace whole through Tracehouse-as-collector to a second Tracehouse', async () => {
    const backend = await startBackend();
    // Only the addresses change: the collector listens on a free port and forwards to the test backend.
    const text = TUTORIAL.replace('0.0.0.0:4317', '127.0.0.1:0').replace('tempo:4317', backend.address);
    const collector: Service = await runConfigText(text);
    stops.push(() => collector.shutdown());

    const sdk = new OTLPTraceExporter({ url: `http://${receiverAddress(collector, 'otlp-grpc')}` });
    const spans = await makeSdkSpans();
    const result = await exportWith(sdk, spans);
    await sdk.shutdown();
    expect(result.code).toBe(ExportResultCode.SUCCESS);

    await backend.capture.waitForSpans(spans.length);
    expect(byId(flattenSpans(backend.capture.allData()))).toEqual(byId(spans.map(expectedFlatSpan)));
    expect(
      new Set(
        backend.capture
          .allData()
          .flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.traceId))),
      ).size,
    ).toBe(1);
  });
});
