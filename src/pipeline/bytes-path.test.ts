import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterEach, describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../bench/realistic-batch.js';
import type { CaptureExporter } from '../../test/support/capture-exporter.js';
import { exportWith, rawGrpcExport } from '../../test/support/exporters.js';
import { expectedFlatSpan, flattenSpans, makeSdkSpans } from '../../test/support/sdk-spans.js';
import { requestBytesOf } from '../model/request-bytes.js';
import { receiverAcceptedSpans } from '../observability/self-metrics.js';
import { encodeExportTraceServiceRequest } from '../otlp/protobuf/encode-traces.js';
import { decodeExportTraceServiceResponse } from '../otlp/protobuf/trace-service-response.js';
import { captureBackend, receiverAddress, runConfigText } from './run-config.test-support.js';

/*
 * The bytes path end to end (TracesConsumer.consumeTraceBytes): Tracehouse as a collector, OTLP
 * in over HTTP and gRPC from the OpenTelemetry JS exporters, `batch`, `otlp` out to a backend
 * that is a Tracehouse OTLP/gRPC receiver into a capture. The backend decodes what it receives
 * (its capture takes models) and keeps the bytes (requestBytesOf), so it shows both what arrived
 * and exactly which bytes the collector sent.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const backend = () => captureBackend((stop) => cleanups.push(stop));

async function collector(
  sink: string,
  processors: string,
  batch = '{ send_batch_size: 100000, timeout: 200ms }',
) {
  const service = await runConfigText(`
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:0 }, http: { endpoint: 127.0.0.1:0 } } }
processors:
  batch: ${batch}
  attributes: { actions: [{ key: deployment.environment, value: production, action: insert }] }
exporters:
  otlp: { endpoint: ${sink}, tls: { insecure: true }, compression: none, sending_queue: { enabled: false } }
service:
  pipelines:
    traces: { receivers: [otlp], processors: [${processors}], exporters: [otlp] }
`);
  cleanups.push(() => service.shutdown());
  return {
    http: `http://${receiverAddress(service, 'otlp-http')}/v1/traces`,
    grpc: receiverAddress(service, 'otlp-grpc'),
  };
}

const postProtobuf = (url: string, body: Buffer): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body });

const spanIds = (capture: CaptureExporter): string[] =>
  flattenSpans(capture.allData())
    .map((s) => s.span.spanId)
    .sort();

describe('collector: batch → otlp moves received bytes without decoding them', () => {
  it('delivers every span of the OpenTelemetry JS exporters (HTTP and gRPC), the bytes they sent unchanged, and counts them', async () => {
    const sink = await backend();
    const { http, grpc } = await collector(sink.address, 'batch');
    const [viaHttp, viaGrpc] = [await makeSdkSpans(), await makeSdkSpans()];
    const sent = [viaHttp, viaGrpc].map((spans) =>
      Buffer.from(ProtobufTraceSerializer.serializeRequest(spans)!),
    );
    const accepted = (receiver: string): number =>
      receiverAcceptedSpans.get({ receiver, tenant: 'single-tenant' });
    const before = [accepted('otlp-http'), accepted('otlp-grpc')];

    const httpExporter = new ProtoTraceExporter({ url: http });
    const grpcExporter = new GrpcTraceExporter({ url: `http://${grpc}` });
    const results = await Promise.all([exportWith(httpExporter, viaHttp), exportWith(grpcExporter, viaGrpc)]);
    await Promise.all([httpExporter.shutdown(), grpcExporter.shutdown()]);
    expect(results.map((r) => r.code)).toEqual([ExportResultCode.SUCCESS, ExportResultCode.SUCCESS]);

    const all = [...viaHttp, ...viaGrpc];
    await sink.capture.waitForSpans(all.length);
    const byId = <T extends { span: { spanId: string } }>(list: T[]): T[] =>
      [...list].sort((a, b) => a.span.spanId.localeCompare(b.span.spanId));
    expect(byId(flattenSpans(sink.capture.allData()))).toEqual(byId(all.map(expectedFlatSpan)));
    // The two requests, byte for byte, back to back in arrival order (one batch or two).
    const forwarded = Buffer.concat(sink.capture.batches.flatMap((b) => requestBytesOf(b.data) ?? []));
    expect([Buffer.concat(sent), Buffer.concat([sent[1], sent[0]])]).toContainEqual(forwarded);
    // Counted by the collector's receivers; the backend's gRPC receiver counts everything again.
    expect([accepted('otlp-http') - before[0], accepted('otlp-grpc') - before[1]]).toEqual([
      viaHttp.length,
      viaGrpc.length + all.length,
    ]);
  });

  it('still answers partial success for spans with invalid ids, and forwards the others', async () => {
    const sink = await backend();
    const { http, grpc } = await collector(sink.address, 'batch');
    const request = (seed: number): Buffer => {
      const data = makeRealisticBatch(8, seed);
      data[0].scopeSpans[0].spans[0].traceId = '0'.repeat(32);
      data[1].scopeSpans[0].spans[0].parentSpanId = 'abcd';
      return encodeExportTraceServiceRequest(data);
    };
    const answer = await postProtobuf(http, request(1));
    expect(answer.status).toBe(200);
    expect(decodeExportTraceServiceResponse(Buffer.from(await answer.arrayBuffer()))).toMatchObject({
      rejectedSpans: 2,
    });
    const viaGrpc = await rawGrpcExport(grpc, request(2));
    expect(viaGrpc.error).toBeNull();
    expect(decodeExportTraceServiceResponse(viaGrpc.response!)).toMatchObject({ rejectedSpans: 2 });
    await sink.capture.waitForSpans(12);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(sink.capture.spanCount()).toBe(12);
  });

  it('takes the model path where a processor changes spans (attributes): the change arrives', async () => {
    const sink = await backend();
    const { http } = await collector(sink.address, 'attributes, batch');
    const body = encodeExportTraceServiceRequest(makeRealisticBatch(32, 3));
    expect((await postProtobuf(http, body)).status).toBe(200);
    await sink.capture.waitForSpans(32);
    const spans = flattenSpans(sink.capture.allData());
    expect(spans).toHaveLength(32);
    for (const { span } of spans)
      expect(span.attributes).toContainEqual({ key: 'deployment.environment', value: 'production' });
  });

  it('splits at send_batch_max_size by decoding: every span arrives once, no batch over the limit', async () => {
    const sink = await backend();
    const { http } = await collector(
      sink.address,
      'batch',
      '{ send_batch_size: 100, send_batch_max_size: 100, timeout: 200ms }',
    );
    const bodies = [4, 5, 6].map((seed) => encodeExportTraceServiceRequest(makeRealisticBatch(64, seed)));
    const answers = await Promise.all(bodies.map((body) => postProtobuf(http, body)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    await sink.capture.waitForSpans(192);
    const sizes = sink.capture.batches.map((b) => flattenSpans(b.data).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    expect(sizes).toContain(100); // the two first requests were split, as models
    const expected = [4, 5, 6]
      .flatMap((seed) => flattenSpans(makeRealisticBatch(64, seed)).map((s) => s.span.spanId))
      .sort();
    expect(spanIds(sink.capture)).toEqual(expected);
  });
});
