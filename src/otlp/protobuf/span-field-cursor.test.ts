import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { attachRequestBytes } from '../../model/request-bytes.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequest, decodeExportTraceServiceRequestVerbatim } from './decode-traces.js';
import { encodeExportTraceServiceRequest } from './encode-traces.js';
import { ProtoWriter } from './proto-writer.js';
import { spansOf } from '../../processors/processor-test-support.js';
import { SpanFieldCursor } from './span-field-cursor.js';

/** Two requests decoded verbatim and joined into one batch, as the batch processor joins them. */
function joined(): { data: TracesData; parts: Buffer[]; fields: number[][] } {
  const parts = [1, 2].map((seed) => encodeExportTraceServiceRequest(makeRealisticBatch(40, seed)));
  const decoded = parts.map((part) => decodeExportTraceServiceRequestVerbatim(part));
  return { data: decoded.flatMap((d) => d.data), parts, fields: decoded.map((d) => [...d.spanFields]) };
}

/** A request holding one `ScopeSpans.spans` field under an empty resource and scope. */
function requestOf(spanField: Uint8Array): Buffer {
  const w = new ProtoWriter();
  w.beginMessage(1); // ResourceSpans
  w.beginMessage(2); // ScopeSpans
  w.raw(spanField, 0, spanField.length);
  w.endMessage();
  w.endMessage();
  return w.finish();
}

describe('SpanFieldCursor', () => {
  it('walks the spans of every part in order, each view a whole span field of its part', () => {
    const { data, parts, fields } = joined();
    attachRequestBytes(data, parts, fields);
    const cursor = SpanFieldCursor.over(data);
    if (cursor === undefined) throw new Error('no cursor over a batch with span fields');
    const spans = spansOf(data);
    expect(spans).toHaveLength(80);
    spans.forEach((span, i) => {
      cursor.next();
      expect(cursor.bytes).toBe(parts[i < 40 ? 0 : 1]);
      const field = cursor.bytes.subarray(cursor.start, cursor.end);
      expect(spansOf(decodeExportTraceServiceRequest(requestOf(field)))).toEqual([span]);
    });
  });

  it('is not made for a batch without span fields, or whose span count they do not match', () => {
    const { data, parts, fields } = joined();
    expect(SpanFieldCursor.over(data)).toBeUndefined();
    attachRequestBytes(data, parts);
    expect(SpanFieldCursor.over(data)).toBeUndefined();
    attachRequestBytes(data, parts, fields);
    expect(SpanFieldCursor.over(data)).toBeDefined();
    data[0].scopeSpans[0].spans.pop();
    expect(SpanFieldCursor.over(data)).toBeUndefined();
  });
});
