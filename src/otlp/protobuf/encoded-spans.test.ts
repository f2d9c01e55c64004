import { describe, expect, it } from 'vitest';
import { attrs, span } from '../../processors/processor-test-support.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequest } from './decode-traces.js';
import type { EncodedSpan } from './encode-traces.js';
import { encodeRequestOfEncodedSpans, encodeSpanFields } from './encode-traces.js';

const RESOURCE_SCHEMA = 'https://opentelemetry.io/schemas/1.26.0';
const SCOPE_SCHEMA = 'https://opentelemetry.io/schemas/1.24.0';

describe('spans encoded ahead of their request', () => {
  it('make the request the model would encode to, each span copied from its slice, schema URLs kept', () => {
    const spans = [
      span({ spanId: '01'.repeat(8), name: 'a', attributes: attrs({ 'http.route': '/x', n: 7 }) }),
      span({ spanId: '02'.repeat(8), name: 'b'.repeat(300), events: [] }),
      span({ spanId: '03'.repeat(8), name: 'c', status: { code: 2, message: 'boom' } }),
    ];
    const { bytes, ends } = encodeSpanFields(spans);
    expect(ends).toHaveLength(3);
    const slices: EncodedSpan[] = ends.map((end, i) => ({ bytes, start: i === 0 ? 0 : ends[i - 1], end }));
    const resource = { attributes: attrs({ 'service.name': 'svc' }), droppedAttributesCount: 0 };
    const scopes = [0, 1].map((i) => ({
      name: `scope${i}`,
      version: '1',
      attributes: [],
      droppedAttributesCount: 0,
    }));
    const request = encodeRequestOfEncodedSpans([
      {
        resource,
        scopeSpans: [
          { scope: scopes[0], spans: [slices[2], slices[0]], schemaUrl: SCOPE_SCHEMA },
          { scope: scopes[1], spans: [slices[1]], schemaUrl: '' },
        ],
        schemaUrl: RESOURCE_SCHEMA,
      },
    ]);
    const expected: TracesData = [
      {
        resource,
        scopeSpans: [
          { scope: scopes[0], spans: [spans[2], spans[0]], schemaUrl: SCOPE_SCHEMA },
          { scope: scopes[1], spans: [spans[1]], schemaUrl: '' },
        ],
        schemaUrl: RESOURCE_SCHEMA,
      },
    ];
    expect(decodeExportTraceServiceRequest(request)).toEqual(expected);
  });
});
