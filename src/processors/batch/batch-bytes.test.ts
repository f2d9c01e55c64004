import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import type { ConsumeContext, TraceRequestBytes, TracesConsumer } from '../../consumer/traces-consumer.js';
import { countSpans } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequest } from '../../otlp/protobuf/decode-traces.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { BatchProcessor } from './batch-processor.js';

/** An undecoded request of `spans` realistic spans, as a receiver hands it on after its scan. */
function request(seed: number, spans = 16): TraceRequestBytes {
  return { parts: [encodeExportTraceServiceRequest(makeRealisticBatch(spans, seed))], spans };
}

/** A next consumer that records both kinds; `bytes: false` makes it a models-only one. */
function capture(bytes = true): TracesConsumer & {
  models: { data: TracesData; context: ConsumeContext }[];
  requests: { request: TraceRequestBytes; context: ConsumeContext }[];
} {
  const models: { data: TracesData; context: ConsumeContext }[] = [];
  const requests: { request: TraceRequestBytes; context: ConsumeContext }[] = [];
  return {
    models,
    requests,
    consumeTraces(data, context) {
      models.push({ data, context });
      return Promise.resolve();
    },
    ...(bytes && {
      consumeTraceBytes(request: TraceRequestBytes, context: ConsumeContext) {
        requests.push({ request, context });
        return Promise.resolve();
      },
    }),
  };
}

const ids = (data: TracesData): string[] =>
  data.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.spanId))).sort();

describe('batch processor: undecoded requests', () => {
  it('batches them apart from models and per tenant, joined in arrival order, counted by their scan', async () => {
    const next = capture();
    const p = new BatchProcessor({ sendBatchSize: 1000, sendBatchMaxSize: 0, timeoutMs: 20 }, next);
    const a = { tenant: 'a' };
    const b = { tenant: 'b' };
    const [r1, r2, r3] = [request(1), request(2), request(3)];
    const model = makeRealisticBatch(8, 4);
    await Promise.all([
      p.consumeTraceBytes!(r1, a),
      p.consumeTraces(model, a),
      p.consumeTraceBytes!(r2, b),
      p.consumeTraceBytes!(r3, a),
    ]);
    expect(next.models).toEqual([{ data: model, context: a }]);
    expect(next.requests).toEqual([
      { request: { parts: [...r1.parts, ...r3.parts], spans: 32 }, context: a },
      { request: { parts: r2.parts, spans: 16 }, context: b },
    ]);
  });

  it('flushes at send_batch_size spans as the scan counted them', async () => {
    const next = capture();
    const p = new BatchProcessor({ sendBatchSize: 32, sendBatchMaxSize: 0, timeoutMs: 60_000 }, next);
    await Promise.all([
      p.consumeTraceBytes!(request(1), { tenant: 't' }),
      p.consumeTraceBytes!(request(2), { tenant: 't' }),
    ]);
    expect(next.requests.map((r) => r.request.spans)).toEqual([32]);
  });

  it('decodes a batch it must split at send_batch_max_size: every span, in parts of at most the limit', async () => {
    const next = capture();
    const p = new BatchProcessor({ sendBatchSize: 40, sendBatchMaxSize: 40, timeoutMs: 60_000 }, next);
    const requests = [request(1, 24), request(2, 24)];
    await Promise.all(requests.map((r) => p.consumeTraceBytes!(r, { tenant: 't' })));
    expect(next.requests).toEqual([]);
    expect(next.models.map((m) => countSpans(m.data))).toEqual([40, 8]);
    const sent = next.models.flatMap((m) => m.data);
    const expected = requests.flatMap((r) => r.parts.map((part) => decodeExportTraceServiceRequest(part)));
    expect(ids(sent)).toEqual(ids(expected.flat()));
  });

  it('offers undecoded requests only when its next consumer takes them, so they are never decoded but to split', () => {
    const models = new BatchProcessor(
      { sendBatchSize: 1000, sendBatchMaxSize: 0, timeoutMs: 0 },
      capture(false),
    );
    expect(models.consumeTraceBytes).toBeUndefined();
    const bytes = new BatchProcessor({ sendBatchSize: 1000, sendBatchMaxSize: 0, timeoutMs: 0 }, capture());
    expect(bytes.consumeTraceBytes).toBeTypeOf('function');
  });

  it('sends what waits on shutdown, bytes included', async () => {
    const next = capture();
    const p = new BatchProcessor({ sendBatchSize: 1000, sendBatchMaxSize: 0, timeoutMs: 60_000 }, next);
    const pending = p.consumeTraceBytes!(request(1), { tenant: 't' });
    await p.shutdown();
    await pending;
    expect(next.requests.map((r) => r.request.spans)).toEqual([16]);
  });
});
