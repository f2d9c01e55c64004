import { describe, expect, it } from 'vitest';
import type { KeyValue } from '../model/attributes.js';
import { emptyScope, emptySpan } from '../model/factories.js';
import type { InstrumentationScope, Span, TracesData } from '../model/span.js';
import { SpanKind, StatusCode } from '../model/span.js';
import { decodeZipkinSpans } from './decode-zipkin-spans.js';
import { encodeZipkinSpans } from './encode-zipkin-spans.js';

const TRACE_ID = '5982fe77008310cc80f1da5e10147517';
const START = 1_700_000_000_000_001_000n;

function resourceSpans(resource: KeyValue[], scope: InstrumentationScope, spans: Span[]): TracesData[number] {
  return {
    resource: { attributes: resource, droppedAttributesCount: 0 },
    scopeSpans: [{ scope, spans, schemaUrl: '' }],
    schemaUrl: '',
  };
}

function span(fields: Partial<Span>): Span {
  return {
    ...emptySpan(),
    traceId: TRACE_ID,
    startTimeUnixNano: START,
    endTimeUnixNano: START + 5000n,
    ...fields,
  };
}

/** Through JSON text, as a body travels. */
function roundTrip(data: TracesData): TracesData {
  return decodeZipkinSpans(JSON.parse(JSON.stringify(encodeZipkinSpans(data))));
}

/**
 * Everything Zipkin can carry, in the order decoding produces it: services and scopes sorted by
 * name, tag-born attributes first and endpoint attributes after them, string attribute values.
 */
const RICH: TracesData = [
  {
    resource: {
      attributes: [
        { key: 'service.name', value: 'api' },
        { key: 'host.name', value: 'web-1' },
        { key: 'telemetry.sdk.language', value: 'nodejs' },
      ],
      droppedAttributesCount: 0,
    },
    scopeSpans: [
      {
        scope: { ...emptyScope(), name: 'a-lib', version: '1.0' },
        spans: [
          span({
            spanId: '0000000000000001',
            traceState: 'vendor=abc',
            name: 'GET /orders',
            kind: SpanKind.SERVER,
            attributes: [
              { key: 'http.request.method', value: 'GET' },
              { key: 'http.response.status_code', value: '500' },
              { key: 'network.local.address', value: '10.0.0.1' },
              { key: 'net.host.port', value: 8080n },
              { key: 'service.peer.name', value: 'postgres' },
              { key: 'network.peer.address', value: '2001:db8::1' },
              { key: 'net.peer.port', value: 5432n },
            ],
            events: [
              {
                timeUnixNano: START + 1000n,
                name: 'retry',
                attributes: [
                  { key: 'attempt', value: 2n },
                  { key: 'delay', value: 0.5 },
                  { key: 'fatal', value: false },
                  { key: 'why', value: 'a|b' },
                  { key: 'hosts', value: ['h1', 'h2'] },
                  { key: 'limits', value: { kvlistValue: [{ key: 'max', value: 3n }] } },
                ],
                droppedAttributesCount: 1,
              },
              { timeUnixNano: START + 2000n, name: 'done', attributes: [], droppedAttributesCount: 0 },
            ],
            links: [
              {
                traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
                spanId: '00f067aa0ba902b7',
                traceState: 'k=v',
                attributes: [{ key: 'link.kind', value: 'follows' }],
                droppedAttributesCount: 2,
                flags: 0,
              },
            ],
            status: { code: StatusCode.ERROR, message: 'db down' },
          }),
          span({
            spanId: '0000000000000002',
            parentSpanId: '0000000000000001',
            name: 'validate',
            kind: SpanKind.INTERNAL,
            status: { code: StatusCode.OK, message: 'fine' },
          }),
          span({
            spanId: '0000000000000003',
            parentSpanId: '0000000000000001',
            name: 'query',
            kind: SpanKind.CLIENT,
          }),
        ],
        schemaUrl: '',
      },
      {
        scope: { ...emptyScope(), name: 'b-lib' },
        spans: [
          span({
            // A 64-bit trace id and a span that arrived without a timestamp.
            traceId: '00000000000000005af7183fb1d4cf5f',
            spanId: '0000000000000004',
            name: 'publish',
            kind: SpanKind.PRODUCER,
            startTimeUnixNano: 0n,
            endTimeUnixNano: 2000n,
            attributes: [
              { key: 'topic', value: 'orders' },
              { key: 'otel.zipkin.absentField.startTime', value: true },
            ],
          }),
        ],
        schemaUrl: '',
      },
    ],
    schemaUrl: '',
  },
  resourceSpans([{ key: 'service.name', value: 'worker' }], emptyScope(), [
    span({
      spanId: '0000000000000005',
      name: 'consume',
      kind: SpanKind.CONSUMER,
      // A Zipkin-style error message in the `error` tag.
      attributes: [{ key: 'error', value: 'timeout' }],
      status: { code: StatusCode.ERROR, message: 'timeout' },
    }),
  ]),
];

describe('encodeZipkinSpans', () => {
  it('round-trips everything Zipkin can carry', () => {
    expect(roundTrip(RICH)).toEqual(RICH);
  });

  it('writes what the Collector exporter writes', () => {
    const data = [
      resourceSpans(
        [
          { key: 'service.name', value: 'api' },
          { key: 'service.namespace', value: 'shop' },
          { key: 'process.pid', value: 42n },
        ],
        {
          name: 'lib',
          version: '2',
          attributes: [{ key: 'scope.attr', value: true }],
          droppedAttributesCount: 0,
        },
        [
          span({
            traceId: '00000000000000005af7183fb1d4cf5f',
            spanId: '352bff9a74ca9ad2',
            parentSpanId: '6b221d5bc9e6496c',
            name: 'GET /Search',
            kind: SpanKind.CLIENT,
            startTimeUnixNano: 1_700_000_000_000_000_400n,
            endTimeUnixNano: 1_700_000_000_000_000_700n,
            attributes: [
              { key: 'flag', value: true },
              { key: 'count', value: 7n },
              { key: 'ratio', value: 1.5 },
              { key: 'raw', value: new Uint8Array([1, 2, 3]) },
              { key: 'list', value: ['a', 1n] },
              { key: 'map', value: { kvlistValue: [{ key: 'k', value: 'v' }] } },
              { key: 'none', value: null },
              { key: 'error', value: 'stale' },
              { key: 'http.response.status_code', value: 404n },
              { key: 'peer.service', value: 'search' },
              { key: 'network.peer.address', value: 'search.internal' },
              { key: 'net.peer.port', value: '443' },
            ],
            events: [
              {
                timeUnixNano: 1_700_000_000_000_000_600n,
                name: 'sent',
                attributes: [],
                droppedAttributesCount: 0,
              },
            ],
            status: { code: StatusCode.OK, message: 'fine' },
          }),
        ],
      ),
    ];
    expect(encodeZipkinSpans(data)).toEqual([
      {
        // Zipkin's 64-bit form when the high half is zero, as zipkin-go writes it.
        traceId: '5af7183fb1d4cf5f',
        id: '352bff9a74ca9ad2',
        parentId: '6b221d5bc9e6496c',
        kind: 'CLIENT',
        name: 'GET /Search',
        // Rounded to the microsecond; a sub-microsecond duration rounds up to 1.
        timestamp: 1_700_000_000_000_000,
        duration: 1,
        localEndpoint: { serviceName: 'api' },
        // Not an IP address: stays a tag.
        remoteEndpoint: { serviceName: 'search', port: 443 },
        annotations: [{ timestamp: 1_700_000_000_000_001, value: 'sent' }],
        tags: {
          'service.namespace': 'shop',
          'process.pid': '42',
          'scope.attr': 'true',
          'otel.scope.name': 'lib',
          'otel.scope.version': '2',
          flag: 'true',
          count: '7',
          ratio: '1.5',
          raw: 'AQID',
          list: '["a",1]',
          map: '{"k":"v"}',
          none: '',
          'http.response.status_code': '404',
          'http.status_code': '404',
          'network.peer.address': 'search.internal',
          'otel.status_code': 'STATUS_CODE_OK',
          'otel.status_description': 'fine',
        },
      },
    ]);
  });

  it('marks errors with error=true, INTERNAL with span.kind, and leaves out what is unknown', () => {
    const [encoded] = encodeZipkinSpans([
      resourceSpans([], emptyScope(), [
        span({
          spanId: '0000000000000001',
          kind: SpanKind.INTERNAL,
          startTimeUnixNano: 5n,
          endTimeUnixNano: 2005n,
          status: { code: StatusCode.ERROR, message: '' },
        }),
      ]),
    ]);
    expect(encoded).toEqual({
      traceId: TRACE_ID,
      id: '0000000000000001',
      // Before one second after the epoch: zipkin-go would refuse it, so it is left out.
      duration: 2,
      tags: { 'span.kind': 'internal', error: 'true', 'otel.status_code': 'STATUS_CODE_ERROR' },
    });
  });

  it('names the service from faas.name when there is no service.name, and says so', () => {
    const data = [
      resourceSpans(
        [
          { key: 'faas.name', value: 'resize' },
          { key: 'faas.id', value: 'arn:aws:lambda:resize' },
        ],
        emptyScope(),
        [span({ spanId: '0000000000000001' })],
      ),
    ];
    const [encoded] = encodeZipkinSpans(data);
    expect(encoded.localEndpoint).toEqual({ serviceName: 'resize' });
    expect(encoded.tags).toEqual({
      'cloud.resource_id': 'arn:aws:lambda:resize',
      'otlp.service.name.source': 'faas.name',
    });
    expect(roundTrip(data)[0].resource.attributes).toEqual([
      { key: 'faas.name', value: 'resize' },
      { key: 'cloud.resource_id', value: 'arn:aws:lambda:resize' },
    ]);
  });
});
