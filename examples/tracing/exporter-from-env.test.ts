import { ExportResultCode } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestTracehouse } from '../../test/support/test-tracehouse.js';
import { startTestTracehouse } from '../../test/support/test-tracehouse.js';
import { exporterFromEnv } from './exporter-from-env.js';

let tracehouse: TestTracehouse;
beforeAll(async () => {
  tracehouse = await startTestTracehouse();
});
afterAll(() => tracehouse.stop());

function finishedSpan(name: string): ReadableSpan {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(memory)] });
  provider.getTracer('test').startSpan(name).end();
  return memory.getFinishedSpans()[0];
}

async function send(exporter: SpanExporter, name: string): Promise<void> {
  const result = await new Promise<{ code: ExportResultCode; error?: Error }>((resolve) =>
    exporter.export([finishedSpan(name)], resolve),
  );
  await exporter.shutdown();
  expect(result.error).toBeUndefined();
  expect(result.code).toBe(ExportResultCode.SUCCESS);
}

const received = (): string[] =>
  tracehouse.exporter.batches.flatMap((b) =>
    b.data.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name))),
  );

describe('exporterFromEnv', () => {
  it('prints to the console when nothing is configured, and exports nothing for "none"', () => {
    expect(exporterFromEnv({}).kind).toBe('console');
    expect(exporterFromEnv({ OTEL_TRACES_EXPORTER: 'none' })).toEqual({ kind: 'none' });
  });

  it("sends OTLP/HTTP protobuf to the tutorial's OTEL_COLLECTOR_ENDPOINT (host:port)", async () => {
    const choice = exporterFromEnv({ OTEL_COLLECTOR_ENDPOINT: tracehouse.httpBase.replace('http://', '') });
    expect(choice).toMatchObject({
      kind: 'otlp',
      protocol: 'http/protobuf',
      url: `${tracehouse.httpBase}/v1/traces`,
    });
    await send(choice.exporter!, 'via-collector-endpoint');
    expect(received()).toContain('via-collector-endpoint');
  });

  it('sends OTLP/HTTP JSON to OTEL_EXPORTER_OTLP_ENDPOINT, appending /v1/traces', async () => {
    const choice = exporterFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: `${tracehouse.httpBase}/`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    });
    expect(choice.url).toBe(`${tracehouse.httpBase}/v1/traces`);
    await send(choice.exporter!, 'via-json');
    expect(received()).toContain('via-json');
  });

  it('sends OTLP/gRPC when the protocol says grpc, and uses a per-signal endpoint as is', async () => {
    const grpc = exporterFromEnv({
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://${tracehouse.grpcAddress}`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    });
    expect(grpc).toMatchObject({ protocol: 'grpc', url: `http://${tracehouse.grpcAddress}` });
    await send(grpc.exporter!, 'via-grpc');
    const exact = exporterFromEnv({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${tracehouse.httpBase}/v1/traces` });
    expect(exact.url).toBe(`${tracehouse.httpBase}/v1/traces`);
    await send(exact.exporter!, 'via-traces-endpoint');
    expect(received()).toEqual(expect.arrayContaining(['via-grpc', 'via-traces-endpoint']));
  });

  it('refuses an exporter or protocol it does not know, naming the variable', () => {
    expect(() => exporterFromEnv({ OTEL_TRACES_EXPORTER: 'jaeger' })).toThrow(
      'OTEL_TRACES_EXPORTER="jaeger"',
    );
    expect(() =>
      exporterFromEnv({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'thrift' }),
    ).toThrow('OTEL_EXPORTER_OTLP_PROTOCOL="thrift"');
  });
});
