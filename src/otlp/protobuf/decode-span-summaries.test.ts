import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import { emptySpan } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { spansOf } from '../../processors/processor-test-support.js';
import { decodeSpanSummaries } from './decode-span-summaries.js';
import { decodeExportTraceServiceRequestVerbatim } from './decode-traces.js';
import { encodeExportTraceServiceRequest } from './encode-traces.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';

/** The request decoded whole, cut down to what a summary holds. */
function expectedSummaries(
  request: Buffer,
  keys: ReadonlySet<string>,
): { data: TracesData; spanFields: readonly number[] } {
  const { data, spanFields } = decodeExportTraceServiceRequestVerbatim(request);
  const summaries = data.map((rs) => ({
    resource: rs.resource,
    schemaUrl: rs.schemaUrl,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      scope: ss.scope,
      schemaUrl: ss.schemaUrl,
      spans: ss.spans.map((s) => ({
        ...emptySpan(),
        traceId: s.traceId,
        startTimeUnixNano: s.startTimeUnixNano,
        endTimeUnixNano: s.endTimeUnixNano,
        status: s.status,
        attributes: s.attributes.filter((kv) => keys.has(kv.key)),
      })),
    })),
  }));
  return { data: summaries, spanFields };
}

describe('span summaries (what tail_sampling reads of a request it holds as bytes)', () => {
  it('hold resources and scopes whole with their schema URLs, of each span its trace id, times, status and the attributes asked for, and where it lies', () => {
    const batches = [makeRealisticBatch(64, 5), everyKindBatch('12'.repeat(16))];
    spansOf(batches[0])[3].status = { code: 2, message: 'boom' };
    for (const batch of batches)
      for (const keys of [
        new Set<string>(),
        new Set(['http.route', 's', 'kv', 'http.response.status_code']),
      ]) {
        const request = encodeExportTraceServiceRequest(batch);
        const summaries = decodeSpanSummaries(request, keys);
        expect(summaries.data).toEqual(expectedSummaries(request, keys).data);
        expect(summaries.spanFields).toEqual(expectedSummaries(request, keys).spanFields);
      }
  });

  it('read the attributes asked for of every kind', () => {
    const request = encodeExportTraceServiceRequest(everyKindBatch('12'.repeat(16)));
    const keys = new Set(['i', 'nan', 'arr', 'kv', 'bytes', 'missing']);
    const [span] = spansOf(decodeSpanSummaries(request, keys).data);
    expect(span.attributes.map((kv) => kv.key)).toEqual(['i', 'nan', 'bytes', 'arr', 'kv']);
  });

  it('throw ProtobufDecodeError on truncated bytes', () => {
    const request = encodeExportTraceServiceRequest(makeRealisticBatch(4, 1));
    expect(() => decodeSpanSummaries(request.subarray(0, request.length - 7), new Set())).toThrow(
      ProtobufDecodeError,
    );
  });
});
