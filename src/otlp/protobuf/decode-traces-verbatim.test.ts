import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { emptySpan } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequest, decodeExportTraceServiceRequestVerbatim } from './decode-traces.js';
import type { EncodedResourceSpans } from './encode-traces.js';
import { encodeExportTraceServiceRequest, encodeRequestOfEncodedSpans } from './encode-traces.js';
import { ProtoWriter } from './proto-writer.js';

/** One span with one string attribute; the caller's `span` hook writes extra fields into it. */
function requestWith(extra: {
  resource?: (w: ProtoWriter) => void;
  span?: (w: ProtoWriter) => void;
}): Buffer {
  const w = new ProtoWriter();
  w.beginMessage(1); // ResourceSpans
  w.beginMessage(1); // Resource
  w.beginMessage(1);
  w.stringField(1, 'service.name');
  w.beginMessage(2);
  w.stringField(1, 'checkout', true);
  w.endMessage();
  w.endMessage();
  w.endMessage();
  extra.resource?.(w);
  w.beginMessage(2); // ScopeSpans
  w.beginMessage(2); // Span
  w.hexField(1, '5b8efff798038103d269b633813fc60c');
  w.hexField(2, 'eee19b7ec3c1b174');
  w.stringField(5, 'GET /');
  extra.span?.(w);
  w.endMessage();
  w.endMessage();
  w.endMessage();
  return w.finish();
}

const verbatim = (bytes: Buffer): boolean => decodeExportTraceServiceRequestVerbatim(bytes).verbatim;

describe('decodeExportTraceServiceRequestVerbatim', () => {
  it('decodes what decodeExportTraceServiceRequest decodes, and calls ordinary requests verbatim', () => {
    for (const seed of [1, 2]) {
      const bytes = encodeExportTraceServiceRequest(makeRealisticBatch(512, seed));
      const { data, verbatim: isVerbatim } = decodeExportTraceServiceRequestVerbatim(bytes);
      expect(data).toEqual(decodeExportTraceServiceRequest(bytes));
      expect(isVerbatim).toBe(true);
    }
    expect(verbatim(requestWith({}))).toBe(true);
  });

  it('calls valid non-ASCII strings verbatim, invalid UTF-8 (read as U+FFFD) not', () => {
    const named = (name: string | Buffer): Buffer =>
      requestWith({
        span: (w) => (typeof name === 'string' ? w.stringField(5, name) : w.bytesField(5, name)), // name again: last wins
      });
    expect(verbatim(named('日本語 \u{1F600}'))).toBe(true);
    expect(verbatim(named(Buffer.from([0x61, 0xff, 0x62])))).toBe(false);
    expect(verbatim(named(Buffer.from([0xed, 0xa0, 0x80])))).toBe(false); // an encoded lone surrogate
  });

  it('reads an all-zero parent id as no parent (a root span, as the Collector and Tempo do), not verbatim', () => {
    const zeroParent = requestWith({ span: (w) => w.hexField(4, '00'.repeat(8)) });
    const { data, verbatim: isVerbatim } = decodeExportTraceServiceRequestVerbatim(zeroParent);
    expect(data[0].scopeSpans[0].spans[0].parentSpanId).toBe('');
    expect(isVerbatim).toBe(false);
    expect(verbatim(requestWith({ span: (w) => w.hexField(4, '01'.repeat(8)) }))).toBe(true);
  });

  it('is not verbatim when it skipped an unknown or deprecated field', () => {
    expect(verbatim(requestWith({ span: (w) => w.stringField(99, 'from the future') }))).toBe(false);
    const deprecatedStatus = requestWith({
      span: (w) => {
        w.beginMessage(15);
        w.uint32Field(1, 2); // Status.deprecated_code
        w.endMessage();
      },
    });
    expect(verbatim(deprecatedStatus)).toBe(false);
  });

  it('is not verbatim when a singular message or oneof comes twice (protobuf merges, the decoder keeps the last)', () => {
    const secondResource = (w: ProtoWriter): void => {
      w.beginMessage(1);
      w.uint32Field(2, 1);
      w.endMessage();
    };
    expect(verbatim(requestWith({ resource: secondResource }))).toBe(false);
    const status = (w: ProtoWriter): void => {
      w.beginMessage(15);
      w.uint32Field(3, 2);
      w.endMessage();
    };
    expect(verbatim(requestWith({ span: status }))).toBe(true);
    expect(verbatim(requestWith({ span: (w) => (status(w), status(w)) }))).toBe(false);
    const twoValues = (w: ProtoWriter): void => {
      w.beginMessage(9);
      w.stringField(1, 'k');
      w.beginMessage(2);
      w.stringField(1, 'a', true);
      w.endMessage();
      w.beginMessage(2);
      w.stringField(1, 'b', true);
      w.endMessage();
      w.endMessage();
    };
    expect(verbatim(requestWith({ span: twoValues }))).toBe(false);
    const twoMembers = (w: ProtoWriter): void => {
      w.beginMessage(9);
      w.stringField(1, 'k');
      w.beginMessage(2);
      w.stringField(1, 'a', true);
      w.boolField(2, true);
      w.endMessage();
      w.endMessage();
    };
    expect(verbatim(requestWith({ span: twoMembers }))).toBe(false);
  });

  it('reads the model unchanged whichever way it decides', () => {
    const data: TracesData = [
      {
        resource: { attributes: [], droppedAttributesCount: 0 },
        schemaUrl: '',
        scopeSpans: [
          {
            scope: { name: 's', version: '', attributes: [], droppedAttributesCount: 0 },
            schemaUrl: '',
            spans: [{ ...emptySpan(), traceId: '01'.repeat(16), spanId: '02'.repeat(8), name: 'é' }],
          },
        ],
      },
    ];
    const bytes = encodeExportTraceServiceRequest(data);
    const decoded = decodeExportTraceServiceRequestVerbatim(bytes);
    expect({ data: decoded.data, verbatim: decoded.verbatim }).toEqual({ data, verbatim: true });
  });

  it('records where each span field lies, so the spans copied from there make the same request', () => {
    const bytes = Buffer.concat(
      [1, 2].map((seed) => encodeExportTraceServiceRequest(makeRealisticBatch(64, seed))),
    );
    const { data, spanFields } = decodeExportTraceServiceRequestVerbatim(bytes);
    expect(spanFields).toHaveLength(2 * 128);
    let k = 0;
    const located: EncodedResourceSpans[] = data.map((rs) => ({
      resource: rs.resource,
      schemaUrl: rs.schemaUrl,
      scopeSpans: rs.scopeSpans.map((ss) => ({
        scope: ss.scope,
        schemaUrl: ss.schemaUrl,
        spans: ss.spans.map(() => ({ bytes, start: spanFields[k++], end: spanFields[k++] })),
      })),
    }));
    expect(decodeExportTraceServiceRequest(encodeRequestOfEncodedSpans(located))).toEqual(data);
    // Each range is a whole `ScopeSpans.spans` field (tag 2, length-delimited: 0x12), in order.
    for (let i = 0; i < spanFields.length; i += 2) {
      expect(bytes[spanFields[i]]).toBe(0x12);
      if (i > 0) expect(spanFields[i]).toBeGreaterThanOrEqual(spanFields[i - 1]);
    }
  });
});
