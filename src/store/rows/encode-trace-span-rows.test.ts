import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { attachRequestBytes } from '../../model/request-bytes.js';
import { decodeExportTraceServiceRequestVerbatim } from '../../otlp/protobuf/decode-traces.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { batch, span } from '../../processors/processor-test-support.js';
import { encodeTraceSpanRows } from './encode-trace-span-rows.js';

describe('encodeTraceSpanRows of a batch that carries its request bytes', () => {
  it('writes the same rows as encoding the model', () => {
    const model = makeRealisticBatch(64, 7);
    const { data, verbatim, spanFields } = decodeExportTraceServiceRequestVerbatim(
      encodeExportTraceServiceRequest(model),
    );
    expect(verbatim).toBe(true);
    attachRequestBytes(data, [encodeExportTraceServiceRequest(model)], [spanFields]);
    expect(encodeTraceSpanRows(data)).toEqual(encodeTraceSpanRows(model));
  });

  it('copies each span from those bytes rather than encoding it', () => {
    // Bytes that say another name than the model: only a copy can put them in the rows (the
    // contract of model/request-bytes.ts rules this out in the pipeline; here it tells who wrote).
    const received = encodeExportTraceServiceRequest(batch([span({ name: 'as-received' })]));
    const { spanFields } = decodeExportTraceServiceRequestVerbatim(received);
    const model = batch([span({ name: 'as-modelled' })]);
    attachRequestBytes(model, [received], [spanFields]);
    const rows = encodeTraceSpanRows(model);
    expect(rows.includes('as-received')).toBe(true);
    expect(rows.includes('as-modelled')).toBe(false);
  });

  it('encodes the model when the bytes do not locate every span', () => {
    const received = encodeExportTraceServiceRequest(batch([span({ name: 'as-received' })]));
    const model = batch([span({ name: 'as-modelled' })]);
    attachRequestBytes(model, [received]);
    expect(encodeTraceSpanRows(model)).toEqual(encodeTraceSpanRows(batch([span({ name: 'as-modelled' })])));
  });
});
