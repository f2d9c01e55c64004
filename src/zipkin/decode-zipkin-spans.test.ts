import { describe, expect, it } from 'vitest';
import type { KeyValue } from '../model/attributes.js';
import { SpanKind, StatusCode } from '../model/span.js';
import type { Span } from '../model/span.js';
import { decodeZipkinSpans } from './decode-zipkin-spans.js';

/** How each Zipkin field and special tag lands in the model (the Collector's zipkinv2 mapping). */

const TRACE_ID = '5982fe77008310cc80f1da5e10147517';
const SPAN_ID = 'bd7a977555f6b982';
const TIMESTAMP = 1458702548467000;

function zipkinSpan(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return { traceId: TRACE_ID, id: SPAN_ID, timestamp: TIMESTAMP, ...fields };
}

function decodeOne(fields: Record<string, unknown> = {}): Span {
  return decodeZipkinSpans([zipkinSpan(fields)])[0].scopeSpans[0].spans[0];
}

function attributesOf(fields: Record<string, unknown>): KeyValue[] {
  return decodeOne(fields).attributes;
}

describe('decodeZipkinSpans: ids', () => {
  it('left-pads a 64-bit trace id to 128 bits and lowercases hex ids', () => {
    const span = decodeOne({
      traceId: '5AF7183FB1D4CF5F',
      id: 'BD7A977555F6B982',
      parentId: '6B221D5BC9E6496C',
    });
    expect(span.traceId).toBe('00000000000000005af7183fb1d4cf5f');
    expect(span.spanId).toBe('bd7a977555f6b982');
    expect(span.parentSpanId).toBe('6b221d5bc9e6496c');
  });

  it('drops a parent id equal to the span id, or all zeros', () => {
    expect(decodeOne({ parentId: SPAN_ID }).parentSpanId).toBe('');
    expect(decodeOne({ parentId: '0000000000000000' }).parentSpanId).toBe('');
  });

  it('takes the trace state from the w3c.tracestate tag', () => {
    const span = decodeOne({ tags: { 'w3c.tracestate': 'vendor=abc', x: 'y' } });
    expect(span.traceState).toBe('vendor=abc');
    expect(span.attributes).toEqual([{ key: 'x', value: 'y' }]);
  });
});

describe('decodeZipkinSpans: time', () => {
  it('turns microseconds into nanoseconds', () => {
    const span = decodeOne({ timestamp: 1458702548467123, duration: 386001 });
    expect(span.startTimeUnixNano).toBe(1458702548467123000n);
    expect(span.endTimeUnixNano).toBe(1458702548853124000n);
  });

  it('keeps fractions of a microsecond that senders write', () => {
    const span = decodeOne({ timestamp: 1700000000123456.8, duration: 1.5 });
    // 1700000000123456.8 is not exact in a double; the nearest is ...456.75.
    expect(span.startTimeUnixNano).toBe(1700000000123456750n);
    expect(span.endTimeUnixNano).toBe(1700000000123458250n);
  });

  it('starts a span without timestamp at the epoch and flags it', () => {
    for (const timestamp of [undefined, 0]) {
      const span = decodeOne({ timestamp, duration: 5, tags: { a: 'b' } });
      expect(span.startTimeUnixNano).toBe(0n);
      expect(span.endTimeUnixNano).toBe(5000n);
      expect(span.attributes).toEqual([
        { key: 'a', value: 'b' },
        { key: 'otel.zipkin.absentField.startTime', value: true },
      ]);
    }
  });

  it('ends a span without duration where it starts', () => {
    const span = decodeOne();
    expect(span.endTimeUnixNano).toBe(span.startTimeUnixNano);
  });
});

describe('decodeZipkinSpans: kind', () => {
  it.each([
    ['CLIENT', SpanKind.CLIENT],
    ['SERVER', SpanKind.SERVER],
    ['PRODUCER', SpanKind.PRODUCER],
    ['CONSUMER', SpanKind.CONSUMER],
    [undefined, SpanKind.UNSPECIFIED],
    ['client', SpanKind.UNSPECIFIED],
  ])('maps kind %s', (kind, expected) => {
    expect(decodeOne({ kind }).kind).toBe(expected);
  });

  it('reads span.kind=internal only when kind is absent, consuming the tag', () => {
    expect(decodeOne({ tags: { 'span.kind': 'internal' } })).toMatchObject({
      kind: SpanKind.INTERNAL,
      attributes: [],
    });
    expect(decodeOne({ tags: { 'span.kind': 'server' } })).toMatchObject({
      kind: SpanKind.UNSPECIFIED,
      attributes: [],
    });
    expect(decodeOne({ kind: 'CLIENT', tags: { 'span.kind': 'internal' } })).toMatchObject({
      kind: SpanKind.CLIENT,
      attributes: [{ key: 'span.kind', value: 'internal' }],
    });
  });
});

describe('decodeZipkinSpans: status', () => {
  it.each([
    ['STATUS_CODE_OK', StatusCode.OK],
    ['STATUS_CODE_ERROR', StatusCode.ERROR],
    ['STATUS_CODE_UNSET', StatusCode.UNSET],
    ['Ok', StatusCode.OK],
    ['Error', StatusCode.ERROR],
    ['OK', StatusCode.OK],
    ['ERROR', StatusCode.ERROR],
    ['bogus', StatusCode.UNSET],
  ])('reads otel.status_code %s and consumes it', (code, expected) => {
    expect(decodeOne({ tags: { 'otel.status_code': code } })).toMatchObject({
      status: { code: expected, message: '' },
      attributes: [],
    });
  });

  it('reads otel.status_description only together with otel.status_code', () => {
    expect(
      decodeOne({
        tags: {
          'otel.status_code': 'STATUS_CODE_ERROR',
          'otel.status_description': 'timeout',
          error: 'true',
        },
      }),
    ).toMatchObject({ status: { code: StatusCode.ERROR, message: 'timeout' }, attributes: [] });
    expect(decodeOne({ tags: { 'otel.status_description': 'timeout' } })).toMatchObject({
      status: { code: StatusCode.UNSET, message: '' },
      attributes: [{ key: 'otel.status_description', value: 'timeout' }],
    });
  });

  it('makes any error tag an ERROR; keeps it as an attribute unless it is "true"', () => {
    expect(decodeOne({ tags: { error: 'true' } })).toMatchObject({
      status: { code: StatusCode.ERROR, message: '' },
      attributes: [],
    });
    // Zipkin instrumentation and the OpenTelemetry spec put the message in `error`.
    expect(decodeOne({ tags: { error: 'connection refused' } })).toMatchObject({
      status: { code: StatusCode.ERROR, message: 'connection refused' },
      attributes: [{ key: 'error', value: 'connection refused' }],
    });
    expect(decodeOne({ tags: { error: 'false' } })).toMatchObject({
      status: { code: StatusCode.ERROR, message: '' },
      attributes: [{ key: 'error', value: 'false' }],
    });
    expect(decodeOne({ tags: { 'otel.status_code': 'OK', error: '' } }).status).toEqual({
      code: StatusCode.ERROR,
      message: '',
    });
  });
});

describe('decodeZipkinSpans: attributes', () => {
  it('keeps tag values as strings, in order', () => {
    expect(attributesOf({ tags: { 'db.rows': '12', 'cache.hit': 'true', ratio: '0.5' } })).toEqual([
      { key: 'db.rows', value: '12' },
      { key: 'cache.hit', value: 'true' },
      { key: 'ratio', value: '0.5' },
    ]);
  });

  it('renames http.status_code to http.response.status_code', () => {
    expect(attributesOf({ tags: { 'http.status_code': '500' } })).toEqual([
      { key: 'http.response.status_code', value: '500' },
    ]);
  });

  it('maps the endpoints to address, port and peer service attributes', () => {
    expect(
      attributesOf({
        localEndpoint: { serviceName: 'frontend', ipv4: '10.0.0.1', port: 8080 },
        remoteEndpoint: { serviceName: 'backend', ipv6: '2001:DB8:0:0:0:0:0:C001', port: 9000 },
        tags: { 'network.peer.address': 'overridden' },
      }),
    ).toEqual([
      { key: 'network.peer.address', value: '2001:db8::c001' },
      { key: 'network.local.address', value: '10.0.0.1' },
      { key: 'net.host.port', value: 8080n },
      { key: 'service.peer.name', value: 'backend' },
      { key: 'net.peer.port', value: 9000n },
    ]);
  });

  it('prints addresses as Go does, prefers IPv6, and skips port 0', () => {
    expect(attributesOf({ localEndpoint: { ipv4: '10.0.0.1', ipv6: '7::0.128.128.127', port: 0 } })).toEqual([
      { key: 'network.local.address', value: '7::80:807f' },
    ]);
    expect(attributesOf({ remoteEndpoint: { ipv6: '::ffff:10.0.0.2' } })).toEqual([
      { key: 'network.peer.address', value: '10.0.0.2' },
    ]);
  });

  it('ignores debug and shared, as the Collector does', () => {
    expect(attributesOf({ debug: true, shared: true })).toEqual([]);
  });
});

describe('decodeZipkinSpans: annotations', () => {
  it('turns annotations into events', () => {
    expect(decodeOne({ annotations: [{ timestamp: TIMESTAMP + 5, value: 'cache miss' }] }).events).toEqual([
      { timeUnixNano: 1458702548467005000n, name: 'cache miss', attributes: [], droppedAttributesCount: 0 },
    ]);
  });

  it('reads event attributes from name|json|dropped', () => {
    const [event] = decodeOne({
      annotations: [
        { timestamp: TIMESTAMP, value: 'retry|{"attempt":2,"delay":0.5,"fatal":false,"why":"a|b"}|3' },
      ],
    }).events;
    expect(event).toEqual({
      timeUnixNano: 1458702548467000000n,
      name: 'retry',
      attributes: [
        { key: 'attempt', value: 2n },
        { key: 'delay', value: 0.5 },
        { key: 'fatal', value: false },
        { key: 'why', value: 'a|b' },
      ],
      droppedAttributesCount: 3,
    });
  });

  it('keeps any other value whole as the event name', () => {
    const values = ['GET|/users', 'a|b|c', 'x|{"k":1}|-1', 'x|[1]|0'];
    const events = decodeOne({
      annotations: values.map((value) => ({ timestamp: TIMESTAMP, value })),
    }).events;
    expect(events.map((e) => [e.name, e.attributes])).toEqual(values.map((value) => [value, []]));
  });
});

describe('decodeZipkinSpans: links', () => {
  it('reads consecutive otlp.link.<i> tags', () => {
    const span = decodeOne({
      tags: {
        'otlp.link.0': `${TRACE_ID.toUpperCase()}|${SPAN_ID}|k=v|{"attempt":1}|0`,
        'otlp.link.1': '|||{}|2',
        'otlp.link.3': `${TRACE_ID}|${SPAN_ID}||{}|0`,
        'otlp.link.2': 'too|few|parts',
      },
    });
    expect(span.links).toEqual([
      {
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceState: 'k=v',
        attributes: [{ key: 'attempt', value: 1n }],
        droppedAttributesCount: 0,
        flags: 0,
      },
      { traceId: '', spanId: '', traceState: '', attributes: [], droppedAttributesCount: 2, flags: 0 },
      // otlp.link.2 has too few parts and is dropped, but reading goes on.
      {
        traceId: TRACE_ID,
        spanId: SPAN_ID,
        traceState: '',
        attributes: [],
        droppedAttributesCount: 0,
        flags: 0,
      },
    ]);
    expect(span.attributes).toEqual([]);
  });

  it('stops at the first missing index', () => {
    const link = `${TRACE_ID}|${SPAN_ID}||{}|0`;
    const span = decodeOne({ tags: { 'otlp.link.0': link, 'otlp.link.2': link } });
    expect(span.links).toHaveLength(1);
    expect(span.attributes).toEqual([{ key: 'otlp.link.2', value: link }]);
  });
});
