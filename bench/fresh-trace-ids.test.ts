import { describe, expect, it } from 'vitest';
import { decodeExportTraceServiceRequest } from '../src/otlp/protobuf/decode-traces.js';
import { makeEncodedBatches } from './encoded-batches.js';
import { freshTraceIdSender, spanTraceIdOffsets, withFreshTraceIds } from './fresh-trace-ids.js';

const spansOf = (payload: Buffer) =>
  decodeExportTraceServiceRequest(payload).flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));

describe('fresh trace ids for replayed payloads', () => {
  const { protobuf } = makeEncodedBatches(2, 64);

  it('finds the trace id of every span', () => {
    expect(spanTraceIdOffsets(protobuf[0])).toHaveLength(spansOf(protobuf[0]).length);
  });

  it('changes every trace id, the same way within a trace, and nothing else', () => {
    const original = spansOf(protobuf[0]);
    const fresh = spansOf(withFreshTraceIds(protobuf[0], spanTraceIdOffsets(protobuf[0]), 0x01020304));
    const mapping = new Map<string, string>();
    fresh.forEach((span, i) => {
      expect(span.traceId).not.toBe(original[i].traceId);
      expect(mapping.get(original[i].traceId) ?? span.traceId).toBe(span.traceId);
      mapping.set(original[i].traceId, span.traceId);
      expect({ ...span, traceId: '' }).toEqual({ ...original[i], traceId: '' });
    });
    expect(new Set(mapping.values()).size).toBe(mapping.size);
  });

  it('gives each send ids no earlier send used, and leaves the replayed payload as it was', async () => {
    const before = Buffer.from(protobuf[1]);
    const seen: string[][] = [];
    const send = freshTraceIdSender((p) => {
      seen.push(spansOf(p).map((s) => s.traceId));
      return Promise.resolve();
    }, protobuf);
    await send(protobuf[1]);
    await send(protobuf[1]);
    expect(protobuf[1]).toEqual(before);
    expect(new Set(seen.flat()).size).toBe(2 * new Set(spansOf(before).map((s) => s.traceId)).size);
  });
});
