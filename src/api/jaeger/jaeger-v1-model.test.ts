import { describe, expect, it } from 'vitest';
import type { KeyValue } from '../../model/attributes.js';
import { emptySpan } from '../../model/factories.js';
import type { ResourceSpans, Span } from '../../model/span.js';
import { SpanKind, StatusCode } from '../../model/span.js';
import { jaegerTag, jaegerTrace, jaegerTraceId } from './jaeger-v1-model.js';

const TRACE = '0000000000000000' + '1234567890abcdef';

function span(overrides: Partial<Span>): Span {
  return {
    ...emptySpan(),
    traceId: TRACE,
    spanId: '00000000000000a1',
    name: 'op',
    startTimeUnixNano: 1_700_000_000_123_456_789n,
    endTimeUnixNano: 1_700_000_000_124_457_789n,
    ...overrides,
  };
}

function resource(attributes: KeyValue[], spans: Span[], scope = { name: '', version: '' }): ResourceSpans {
  return {
    resource: { attributes, droppedAttributesCount: 0 },
    schemaUrl: '',
    scopeSpans: [{ scope: { ...scope, attributes: [], droppedAttributesCount: 0 }, spans, schemaUrl: '' }],
  };
}

describe('OTLP → Jaeger UI JSON', () => {
  it('writes tag values with their Jaeger type; int64 past 2^53 as text, bytes as base64, lists and maps as JSON', () => {
    const tag = (value: KeyValue['value']) => jaegerTag({ key: 'k', value });
    expect(tag('s')).toEqual({ key: 'k', type: 'string', value: 's' });
    expect(tag(true)).toEqual({ key: 'k', type: 'bool', value: true });
    expect(tag(42n)).toEqual({ key: 'k', type: 'int64', value: 42 });
    expect(tag(2n ** 62n)).toEqual({ key: 'k', type: 'int64', value: '4611686018427387904' });
    expect(tag(-(2n ** 62n))).toEqual({ key: 'k', type: 'int64', value: '-4611686018427387904' });
    expect(tag(0.5)).toEqual({ key: 'k', type: 'float64', value: 0.5 });
    expect(tag(Number.NaN)).toEqual({ key: 'k', type: 'float64', value: 'NaN' });
    expect(tag(new Uint8Array([1, 2, 255]))).toEqual({ key: 'k', type: 'binary', value: 'AQL/' });
    expect(tag(['a', 1n, 2.5, false, null])).toEqual({
      key: 'k',
      type: 'string',
      value: '["a",1,2.5,false,null]',
    });
    expect(
      tag({
        kvlistValue: [
          { key: 'z', value: 1n },
          { key: 'a', value: ['x'] },
        ],
      }),
    ).toEqual({
      key: 'k',
      type: 'string',
      value: '{"a":["x"],"z":1}',
    });
    expect(tag(null)).toEqual({ key: 'k', type: 'string', value: '' });
  });

  it('prints a trace id whose high half is zero in 16 digits, as Jaeger', () => {
    expect(jaegerTraceId(TRACE)).toBe('1234567890abcdef');
    expect(jaegerTraceId('1'.padEnd(32, '0'))).toBe('1'.padEnd(32, '0'));
  });

  it('truncates times to microseconds; derives kind, status and trace-state tags; links become references', () => {
    const parent = '00000000000000a0';
    const other = 'ffffffffffffffff0000000000000001';
    const trace = jaegerTrace([
      resource(
        [{ key: 'host.name', value: 'h' }],
        [
          span({
            parentSpanId: parent,
            kind: SpanKind.PRODUCER,
            status: { code: StatusCode.OK, message: 'fine' },
            traceState: 'vendor=1',
            attributes: [{ key: 'a', value: 1n }],
            events: [
              {
                name: 'retry',
                timeUnixNano: 1_700_000_000_123_999_999n,
                attributes: [],
                droppedAttributesCount: 0,
              },
              {
                name: 'ignored',
                timeUnixNano: 1_700_000_000_124_000_000n,
                attributes: [{ key: 'event', value: 'own name' }],
                droppedAttributesCount: 0,
              },
            ],
            links: [
              {
                traceId: other,
                spanId: '0000000000000002',
                traceState: '',
                attributes: [],
                droppedAttributesCount: 0,
                flags: 0,
              },
              {
                traceId: other,
                spanId: '0000000000000003',
                traceState: '',
                attributes: [{ key: 'opentracing.ref_type', value: 'child_of' }],
                droppedAttributesCount: 0,
                flags: 0,
              },
            ],
          }),
        ],
        { name: 'lib', version: '' },
      ),
    ]);
    expect(trace).toEqual({
      traceID: '1234567890abcdef',
      spans: [
        {
          traceID: '1234567890abcdef',
          spanID: '00000000000000a1',
          operationName: 'op',
          references: [
            { refType: 'CHILD_OF', traceID: '1234567890abcdef', spanID: parent },
            { refType: 'FOLLOWS_FROM', traceID: other, spanID: '0000000000000002' },
            { refType: 'CHILD_OF', traceID: other, spanID: '0000000000000003' },
          ],
          startTime: 1_700_000_000_123_456,
          duration: 1001,
          tags: [
            { key: 'otel.scope.name', type: 'string', value: 'lib' },
            { key: 'a', type: 'int64', value: 1 },
            { key: 'span.kind', type: 'string', value: 'producer' },
            { key: 'otel.status_code', type: 'string', value: 'OK' },
            { key: 'otel.status_description', type: 'string', value: 'fine' },
            { key: 'w3c.tracestate', type: 'string', value: 'vendor=1' },
          ],
          logs: [
            { timestamp: 1_700_000_000_123_999, fields: [{ key: 'event', type: 'string', value: 'retry' }] },
            {
              timestamp: 1_700_000_000_124_000,
              fields: [{ key: 'event', type: 'string', value: 'own name' }],
            },
          ],
          processID: 'p1',
          warnings: null,
        },
      ],
      processes: {
        p1: {
          serviceName: 'OTLPResourceNoServiceName',
          tags: [{ key: 'host.name', type: 'string', value: 'h' }],
        },
      },
      warnings: null,
    });
  });

  it('orders spans by start time, shares one process id between identical resources, clamps negative durations', () => {
    const svc = [{ key: 'service.name', value: 'a' }];
    const late = span({ spanId: '0000000000000002', startTimeUnixNano: 3000n, endTimeUnixNano: 1000n });
    const early = span({ spanId: '0000000000000001', startTimeUnixNano: 1000n, endTimeUnixNano: 2000n });
    const b = span({ spanId: '0000000000000003', startTimeUnixNano: 2000n, endTimeUnixNano: 2000n });
    const trace = jaegerTrace([
      resource(svc, [late]),
      resource([{ key: 'service.name', value: 'b' }], [b]),
      resource(svc, [early]),
    ]);
    expect(trace.spans.map((s) => [s.spanID, s.processID, s.duration])).toEqual([
      ['0000000000000001', 'p1', 1],
      ['0000000000000003', 'p2', 0],
      ['0000000000000002', 'p1', 0],
    ]);
    expect(trace.processes).toEqual({
      p1: { serviceName: 'a', tags: [] },
      p2: { serviceName: 'b', tags: [] },
    });
  });
});
