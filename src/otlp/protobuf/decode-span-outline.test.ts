import { describe, expect, it } from 'vitest';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import { attrs, batch, span } from '../../processors/processor-test-support.js';
import { decodeSpanOutline } from './decode-span-outline.js';
import { encodeExportTraceServiceRequest } from './encode-traces.js';

describe('decodeSpanOutline', () => {
  it('reads what the first frame draws of a one-span request, as the whole decode has it', () => {
    const data = everyKindBatch('0123456789abcdef0123456789abcdef');
    const s = data[0].scopeSpans[0].spans[0];
    expect(decodeSpanOutline(encodeExportTraceServiceRequest(data))).toEqual({
      spanId: s.spanId,
      parentSpanId: s.parentSpanId,
      name: s.name,
      kind: s.kind,
      startTimeUnixNano: s.startTimeUnixNano,
      endTimeUnixNano: s.endTimeUnixNano,
      statusCode: s.status.code,
      service: data[0].resource.attributes.find((kv) => kv.key === 'service.name')?.value,
    });
  });

  it('takes the last service.name, as findAttribute does, and only a string one', () => {
    const request = (resource: ReturnType<typeof attrs>) =>
      encodeExportTraceServiceRequest([
        { ...batch([span({ kind: 2 })])[0], resource: { attributes: resource, droppedAttributesCount: 0 } },
      ]);
    const twice = [
      ...attrs({ 'service.name': 'first', 'host.name': 'h' }),
      ...attrs({ 'service.name': 'last' }),
    ];
    expect(decodeSpanOutline(request(twice))).toMatchObject({ service: 'last', kind: 2 });
    expect(decodeSpanOutline(request(attrs({ 'service.name': 7 }))).service).toBe('');
    expect(decodeSpanOutline(request([])).service).toBe('');
  });
});
