import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import type { ConsumeContext } from '../../consumer/traces-consumer.js';
import type { SpanFields } from '../../model/request-bytes.js';
import { attachRequestBytes, requestBytesOf, spanFieldsOf } from '../../model/request-bytes.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequestVerbatim } from '../../otlp/protobuf/decode-traces.js';
import {
  encodeExportTraceServiceRequest,
  exportTraceServiceRequestBytes,
} from '../../otlp/protobuf/encode-traces.js';
import { BatchProcessor } from './batch-processor.js';

const ctx = { tenant: 'single-tenant' };

/**
 * A received request: decoded from its bytes, which are attached as a receiver attaches them,
 * with where its spans lie unless `withoutSpanFields`.
 */
function received(
  seed: number,
  spans = 16,
  withoutSpanFields = false,
): { data: TracesData; bytes: Buffer; spanFields: SpanFields } {
  const bytes = encodeExportTraceServiceRequest(makeRealisticBatch(spans, seed));
  const { data, verbatim, spanFields } = decodeExportTraceServiceRequestVerbatim(bytes);
  expect(verbatim).toBe(true);
  attachRequestBytes(data, [bytes], withoutSpanFields ? undefined : [spanFields]);
  return { data, bytes, spanFields };
}

function capture(): {
  batches: TracesData[];
  consumeTraces(d: TracesData, c: ConsumeContext): Promise<void>;
} {
  const batches: TracesData[] = [];
  return {
    batches,
    consumeTraces(d) {
      batches.push(d);
      return Promise.resolve();
    },
  };
}

describe('batch processor pass-through', () => {
  it('attaches its requests’ bytes, joined in arrival order, which decode to exactly the batch', async () => {
    const next = capture();
    const p = new BatchProcessor({ sendBatchSize: 48, sendBatchMaxSize: 0, timeoutMs: 60_000 }, next);
    const requests = [received(1), received(2), received(3)];
    await Promise.all(requests.map((r) => p.consumeTraces(r.data, ctx)));
    expect(next.batches).toHaveLength(1);
    const [batch] = next.batches;
    expect(requestBytesOf(batch)).toEqual(requests.map((r) => r.bytes));
    // Where the spans lie goes along, part by part, for a tail_sampling after the batch.
    expect(spanFieldsOf(batch)).toEqual(requests.map((r) => r.spanFields));
    const sent = exportTraceServiceRequestBytes(batch);
    expect(sent).toEqual(Buffer.concat(requests.map((r) => r.bytes)));
    // Decode-identical to encoding the batch afresh, and byte-identical too for canonical input.
    expect(decodeExportTraceServiceRequestVerbatim(sent).data).toEqual(batch);
    expect(sent).toEqual(encodeExportTraceServiceRequest(batch));
  });

  it('attaches the bytes without span fields when one request came without them', async () => {
    const next = capture();
    const p = new BatchProcessor({ sendBatchSize: 32, sendBatchMaxSize: 0, timeoutMs: 60_000 }, next);
    const requests = [received(1), received(2, 16, true)];
    await Promise.all(requests.map((r) => p.consumeTraces(r.data, ctx)));
    expect(requestBytesOf(next.batches[0])).toEqual(requests.map((r) => r.bytes));
    expect(spanFieldsOf(next.batches[0])).toBeUndefined();
  });

  it('attaches nothing when one request came without bytes (JSON, or a span was removed)', async () => {
    const next = capture();
    const p = new BatchProcessor({ sendBatchSize: 48, sendBatchMaxSize: 0, timeoutMs: 60_000 }, next);
    const bare = received(2);
    const withoutBytes = bare.data.slice(); // same spans, another object: no bytes attached
    await Promise.all([
      p.consumeTraces(received(1).data, ctx),
      p.consumeTraces(withoutBytes, ctx),
      p.consumeTraces(received(3).data, ctx),
    ]);
    expect(next.batches).toHaveLength(1);
    expect(requestBytesOf(next.batches[0])).toBeUndefined();
  });

  it('attaches nothing to the parts of a batch split at send_batch_max_size', async () => {
    const next = capture();
    const p = new BatchProcessor({ sendBatchSize: 32, sendBatchMaxSize: 40, timeoutMs: 60_000 }, next);
    await Promise.all([
      p.consumeTraces(received(1, 24).data, ctx),
      p.consumeTraces(received(2, 24).data, ctx),
    ]);
    expect(next.batches).toHaveLength(2);
    for (const part of next.batches) {
      expect(requestBytesOf(part)).toBeUndefined();
      expect(decodeExportTraceServiceRequestVerbatim(exportTraceServiceRequestBytes(part)).data).toEqual(
        part,
      );
    }
  });
});
