import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyScope } from '../model/factories.js';
import type { TracesData } from '../model/span.js';
import { SpanKind, StatusCode } from '../model/span.js';
import { decodeZipkinSpans } from './decode-zipkin-spans.js';

/** The examples in Zipkin's own documentation (see testdata/README.md), decoded. */

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));
}

describe('decodeZipkinSpans on the Zipkin documentation examples', () => {
  it('decodes the span example of zipkin2-api.yaml', () => {
    const expected: TracesData = [
      {
        resource: { attributes: [{ key: 'service.name', value: 'backend' }], droppedAttributesCount: 0 },
        scopeSpans: [
          {
            scope: emptyScope(),
            spans: [
              {
                // A 64-bit trace id, left-padded to 128 bits.
                traceId: '00000000000000005af7183fb1d4cf5f',
                spanId: '352bff9a74ca9ad2',
                traceState: '',
                parentSpanId: '6b221d5bc9e6496c',
                flags: 0,
                name: 'get /api',
                kind: SpanKind.SERVER,
                startTimeUnixNano: 1556604172355737000n,
                endTimeUnixNano: 1556604172357168000n,
                attributes: [
                  { key: 'http.method', value: 'GET' },
                  { key: 'http.path', value: '/api' },
                  { key: 'network.local.address', value: '192.168.99.1' },
                  { key: 'net.host.port', value: 3306n },
                  { key: 'network.peer.address', value: '172.19.0.2' },
                  { key: 'net.peer.port', value: 58648n },
                ],
                droppedAttributesCount: 0,
                events: [],
                droppedEventsCount: 0,
                links: [],
                droppedLinksCount: 0,
                status: { code: StatusCode.UNSET, message: '' },
              },
            ],
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      },
    ];
    expect(decodeZipkinSpans(readJson('zipkin2-api-span-example.json'))).toEqual(expected);
  });

  it('decodes the trace of the data model page', () => {
    const decoded = decodeZipkinSpans(readJson('zipkin-data-model-example.json'));
    expect(decoded).toHaveLength(1);
    expect(decoded[0].resource.attributes).toEqual([{ key: 'service.name', value: 'zipkin-query' }]);
    expect(decoded[0].scopeSpans).toHaveLength(1);
    const spans = decoded[0].scopeSpans[0].spans;
    expect(spans.map((s) => [s.spanId, s.parentSpanId, s.name])).toEqual([
      ['bd7a977555f6b982', '', 'get'],
      ['ebf33e1a81dc6f71', 'bd7a977555f6b982', 'get-traces'],
      ['be2d01e33cc78d97', 'ebf33e1a81dc6f71', 'query'],
      ['13038c5fee5a2f2e', 'ebf33e1a81dc6f71', 'query'],
      ['37ee55f3d3a94336', 'ebf33e1a81dc6f71', 'query'],
    ]);
    for (const span of spans) {
      expect(span.traceId).toBe('5982fe77008310cc80f1da5e10147517');
      // No `kind` and no `span.kind` tag: unspecified (Zipkin v1-style spans with annotations).
      expect(span.kind).toBe(SpanKind.UNSPECIFIED);
      expect(span.status).toEqual({ code: StatusCode.UNSET, message: '' });
    }

    const [root, , query] = spans;
    expect(root.startTimeUnixNano).toBe(1458702548467000000n);
    expect(root.endTimeUnixNano).toBe(1458702548853000000n);
    expect(root.events).toEqual([
      { timeUnixNano: 1458702548467000000n, name: 'sr', attributes: [], droppedAttributesCount: 0 },
      { timeUnixNano: 1458702548853000000n, name: 'ss', attributes: [], droppedAttributesCount: 0 },
    ]);
    expect(root.attributes).toEqual([
      { key: 'network.local.address', value: '192.168.1.2' },
      { key: 'net.host.port', value: 9411n },
    ]);

    expect(query.endTimeUnixNano - query.startTimeUnixNano).toBe(13_000_000n);
    expect(query.events.map((e) => e.name)).toEqual(['cs', 'cr']);
    expect(query.attributes.map((a) => a.key)).toEqual([
      'jdbc.query',
      'sa',
      'network.local.address',
      'net.host.port',
      'service.peer.name',
      'network.peer.address',
      'net.peer.port',
    ]);
    expect(query.attributes.slice(1)).toEqual([
      { key: 'sa', value: 'true' },
      { key: 'network.local.address', value: '192.168.1.2' },
      { key: 'net.host.port', value: 9411n },
      { key: 'service.peer.name', value: 'spanstore-jdbc' },
      { key: 'network.peer.address', value: '127.0.0.1' },
      { key: 'net.peer.port', value: 3306n },
    ]);
  });
});
