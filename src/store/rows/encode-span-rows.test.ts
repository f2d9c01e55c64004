import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { duplicateKeysBatch } from '../../../test/support/duplicate-keys-batch.js';
import type { TracesData } from '../../model/span.js';
import { attachRequestBytes } from '../../model/request-bytes.js';
import { decodeExportTraceServiceRequestVerbatim } from '../../otlp/protobuf/decode-traces.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { attrs, batch, span } from '../../processors/processor-test-support.js';
import { encodeSpanRows } from './encode-span-rows.js';
import { makeVariedSpanBatch } from './varied-span-batch.js';

/** The model as a receiver hands it on: decoded from `bytes` verbatim, the bytes attached. */
function received(bytes: Buffer): TracesData {
  const { data, verbatim, spanFields } = decodeExportTraceServiceRequestVerbatim(bytes);
  expect(verbatim).toBe(true);
  attachRequestBytes(data, [bytes], [spanFields]);
  return data;
}

const sha256 = (rows: Buffer): string => createHash('sha256').update(rows).digest('hex');

describe('encodeSpanRows', () => {
  it('writes the rows it wrote before strings were copied from request bytes', () => {
    // Digests of the rows as encoded before this file's test was added (model path only then).
    expect(sha256(encodeSpanRows(makeVariedSpanBatch(48)))).toBe(
      '9f6ffb350349826b10da36ae2a7a6d7ec1f3bc0d05f7c10a13e6562c696c0468',
    );
    expect(sha256(encodeSpanRows(makeRealisticBatch(64, 7)))).toBe(
      'c5dc4ff6d7de5c8b0d74c76f0f7385a4e21bc0f1ae333ec767ba2bfa71f27488',
    );
  });

  it.each([
    ['varied, 48 spans', makeVariedSpanBatch(48)],
    ['varied, 7 spans', makeVariedSpanBatch(7)],
    ['varied, 1 span', makeVariedSpanBatch(1)],
    ['realistic', makeRealisticBatch(128, 3)],
    ['repeated keys', duplicateKeysBatch('d0'.repeat(16))],
  ])('writes the same rows for a batch received as bytes as for its model (%s)', (_, model) => {
    const bytes = Buffer.from(encodeExportTraceServiceRequest(model));
    expect(encodeSpanRows(received(bytes))).toEqual(encodeSpanRows(model));
  });

  it('writes the same rows for bytes in two parts, as a batch processor joins them', () => {
    const first = makeVariedSpanBatch(9);
    const second = makeRealisticBatch(16, 5);
    const parts = [first, second].map((m) => Buffer.from(encodeExportTraceServiceRequest(m)));
    const decoded = parts.map((p) => decodeExportTraceServiceRequestVerbatim(p));
    const joined = [...decoded[0].data, ...decoded[1].data];
    attachRequestBytes(joined, parts, [decoded[0].spanFields, decoded[1].spanFields]);
    expect(encodeSpanRows(joined)).toEqual(encodeSpanRows([...first, ...second]));
  });

  it('writes minimal length prefixes where the request padded them', () => {
    // Protobuf lets a length be a padded varint (0x86 0x00 for 6); a decoder reads it as 6 and the
    // request stays verbatim. The rows must hold the one-byte prefix that encoding writes.
    const kv = Buffer.concat([
      field(0x0a, Buffer.from('key'), true),
      field(0x12, field(0x0a, Buffer.from('välue'), true)),
    ]);
    const spanBody = Buffer.concat([
      field(0x0a, Buffer.alloc(16, 0xab)),
      field(0x12, Buffer.alloc(8, 0xcd)),
      field(0x2a, Buffer.from('padded'), true),
      field(0x4a, kv, true),
    ]);
    const request = field(0x0a, field(0x12, field(0x12, spanBody)));
    const model = decodeExportTraceServiceRequestVerbatim(request).data;
    expect(model[0].scopeSpans[0].spans[0].name).toBe('padded');
    expect(encodeSpanRows(received(request))).toEqual(encodeSpanRows(model));
  });

  it('copies the strings of a received batch from its bytes rather than encoding them', () => {
    // Bytes that say other strings than the model: only a copy puts them in the rows (the
    // contract of model/request-bytes.ts rules this out in the pipeline; here it tells who wrote).
    const bytes = encodeExportTraceServiceRequest(
      batch([span({ name: 'as-received', attributes: attrs({ 'http.route': '/received' }) })]),
    );
    const { spanFields } = decodeExportTraceServiceRequestVerbatim(bytes);
    const model = batch([span({ name: 'as-modelled', attributes: attrs({ 'http.route': '/modelled' }) })]);
    attachRequestBytes(model, [bytes], [spanFields]);
    const rows = encodeSpanRows(model);
    expect(rows.includes('as-received')).toBe(true);
    expect(rows.includes('/received')).toBe(true);
    expect(rows.includes('as-modelled')).toBe(false);
    expect(rows.includes('/modelled')).toBe(false);
  });

  it('encodes the model when the bytes do not locate every span', () => {
    const bytes = encodeExportTraceServiceRequest(batch([span({ name: 'as-received' })]));
    const model = batch([span({ name: 'as-modelled' })]);
    attachRequestBytes(model, [bytes]);
    expect(encodeSpanRows(model)).toEqual(encodeSpanRows(batch([span({ name: 'as-modelled' })])));
  });
});

/**
 * A length-delimited field: `tag`, the length of `body`, `body`; with `padded`, the length (under
 * 128) as the two-byte varint a lenient encoder may write.
 */
function field(tag: number, body: Buffer, padded = false): Buffer {
  const length = body.length;
  const prefix: number[] = [];
  if (padded) prefix.push(0x80 | length, 0x00);
  else {
    let rest = length;
    while (rest > 0x7f) {
      prefix.push((rest & 0x7f) | 0x80);
      rest >>>= 7;
    }
    prefix.push(rest);
  }
  return Buffer.concat([Buffer.from([tag, ...prefix]), body]);
}
