import * as grpc from '@grpc/grpc-js';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { CompressionAlgorithm } from '@opentelemetry/otlp-exporter-base';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { RetryableError } from '../../consumer/errors.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { decodeExportTraceServiceResponse } from '../../otlp/protobuf/trace-service-response.js';
import { exportWith, rawGrpcExport } from '../../../test/support/exporters.js';
import { expectedFlatSpan, flattenSpans, makeSdkSpans } from '../../../test/support/sdk-spans.js';
import type { TestTracehouse } from '../../../test/support/test-tracehouse.js';
import { startTestTracehouse } from '../../../test/support/test-tracehouse.js';
import { oneSpanRequest } from '../../../test/support/one-span-request.js';

let th: TestTracehouse | undefined;
afterEach(async () => {
  await th?.stop();
  th = undefined;
});

const bySpanId = <T extends { span: { spanId: string } }>(xs: T[]): T[] =>
  [...xs].sort((a, b) => a.span.spanId.localeCompare(b.span.spanId));

describe('OTLP/gRPC receiver', () => {
  for (const compression of [CompressionAlgorithm.NONE, CompressionAlgorithm.GZIP]) {
    it(`receives what the real OTLP gRPC exporter sends (compression ${compression}), field by field`, async () => {
      th = await startTestTracehouse();
      const spans = await makeSdkSpans();
      const exporter = new OTLPTraceExporter({ url: `http://${th.grpcAddress}`, compression });
      const result = await exportWith(exporter, spans);
      await exporter.shutdown();
      expect(result.code).toBe(ExportResultCode.SUCCESS);
      const received = bySpanId(flattenSpans(th.exporter.allData()));
      expect(received).toEqual(bySpanId(spans.map(expectedFlatSpan)));
      expect(th.exporter.batches[0].context.tenant).toBe('single-tenant');
    });
  }

  it('takes the tenant from X-Scope-OrgID metadata', async () => {
    th = await startTestTracehouse();
    const metadata = new grpc.Metadata();
    metadata.set('x-scope-orgid', 'team-a');
    const { error } = await rawGrpcExport(th.grpcAddress, encodeExportTraceServiceRequest(oneSpanRequest()), {
      metadata,
    });
    expect(error).toBeNull();
    expect(th.exporter.batches[0].context.tenant).toBe('team-a');
  });

  it('answers partial success for spans with invalid ids and keeps the rest', async () => {
    th = await startTestTracehouse();
    const data = oneSpanRequest();
    data[0].scopeSpans[0].spans.push({
      ...data[0].scopeSpans[0].spans[0],
      traceId: 'abcd',
      name: 'short-id',
    });
    const { error, response } = await rawGrpcExport(th.grpcAddress, encodeExportTraceServiceRequest(data));
    expect(error).toBeNull();
    expect(decodeExportTraceServiceResponse(response!)).toEqual({
      rejectedSpans: 1,
      errorMessage: 'rejected 1 invalid span(s): span "short-id": trace id "abcd" is 2 bytes, not 16',
    });
    expect(th.exporter.spanCount()).toBe(1);
  });

  it('refuses malformed protobuf with INVALID_ARGUMENT naming the problem, and keeps serving', async () => {
    th = await startTestTracehouse();
    const truncated = encodeExportTraceServiceRequest(oneSpanRequest()).subarray(0, 20);
    const bad = await rawGrpcExport(th.grpcAddress, truncated);
    expect(bad.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(bad.error?.details).toMatch(
      /^invalid protobuf: truncated message: length \d+ at byte \d+ runs past the end/,
    );
    const wrongWire = await rawGrpcExport(th.grpcAddress, Buffer.from([0x08, 0x01]));
    expect(wrongWire.error?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(wrongWire.error?.details).toMatch(/ExportTraceServiceRequest: field 1 has wrong wire type 0/);
    const good = await rawGrpcExport(th.grpcAddress, encodeExportTraceServiceRequest(oneSpanRequest()));
    expect(good.error).toBeNull();
    expect(th.exporter.spanCount()).toBe(1);
  });

  it('refuses a message over the size limit with RESOURCE_EXHAUSTED', async () => {
    th = await startTestTracehouse({ maxGrpcMessageBytes: 64 * 1024 });
    const big = encodeExportTraceServiceRequest(oneSpanRequest({ name: 'x'.repeat(100 * 1024) }));
    const { error } = await rawGrpcExport(th.grpcAddress, big);
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error?.details).toMatch(/Received message larger than max \(\d+ vs 65536\)/);
    expect(th.exporter.spanCount()).toBe(0);
  });

  it('refuses a gzip bomb by its decompressed size', async () => {
    th = await startTestTracehouse({ maxGrpcMessageBytes: 1024 * 1024 });
    const bomb = encodeExportTraceServiceRequest(oneSpanRequest({ name: 'a'.repeat(50 * 1024 * 1024) }));
    expect(gzipSync(bomb).length).toBeLessThan(1024 * 1024);
    const { error } = await rawGrpcExport(th.grpcAddress, bomb, {
      channel: { 'grpc.default_compression_algorithm': 2, 'grpc.default_compression_level': 2 },
    });
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error?.details).toMatch(/decompresses to a size larger than 1048576/);
    expect(th.exporter.spanCount()).toBe(0);
  });

  it('pushes back with RESOURCE_EXHAUSTED and RetryInfo when too much is in flight', async () => {
    th = await startTestTracehouse({ maxInflightBytes: 1 });
    let release!: () => void;
    th.exporter.hold = new Promise((resolve) => (release = resolve));
    const body = encodeExportTraceServiceRequest(oneSpanRequest());
    const first = rawGrpcExport(th.grpcAddress, body);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await rawGrpcExport(th.grpcAddress, body);
    expect(second.error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(second.error?.details).toMatch(/too much data in flight/);
    expect(second.error?.metadata.get('grpc-status-details-bin')[0]).toBeInstanceOf(Buffer);
    release();
    expect((await first).error).toBeNull();
    expect(th.exporter.spanCount()).toBe(1);
  });

  it('answers UNAVAILABLE when the pipeline refuses with a retryable error', async () => {
    th = await startTestTracehouse();
    th.exporter.failWith = new RetryableError('store is flushing', 2000);
    const { error } = await rawGrpcExport(th.grpcAddress, encodeExportTraceServiceRequest(oneSpanRequest()));
    expect(error?.code).toBe(grpc.status.UNAVAILABLE);
    expect(error?.details).toBe('store is flushing');
  });

  it('answers RESOURCE_EXHAUSTED with RetryInfo when the pipeline throttles (the store log full)', async () => {
    th = await startTestTracehouse();
    th.exporter.failWith = new RetryableError('log is full', 2000, { throttle: true });
    const { error } = await rawGrpcExport(th.grpcAddress, encodeExportTraceServiceRequest(oneSpanRequest()));
    expect(error?.code).toBe(grpc.status.RESOURCE_EXHAUSTED);
    expect(error?.details).toBe('log is full');
    expect(error?.metadata.get('grpc-status-details-bin')[0]).toBeInstanceOf(Buffer);
  });
});
