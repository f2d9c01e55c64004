import type { AnyValue, KeyValue } from '../../model/attributes.js';
import type { Span, SpanEvent, SpanLink, TracesData } from '../../model/span.js';

/*
 * A batch for tests of the span rows' encoding that reaches every branch of it: every attribute
 * value type (ints past 2^53 and at the int64 bounds, doubles that print oddly, bytes, empty,
 * nested arrays and kvlists), empty and non-ASCII strings, strings whose length takes a two-byte
 * prefix, duplicate keys, events and links with and without typed attributes, flags and dropped
 * counts, kinds and status codes outside the named ones, and an end before the start.
 */

const LONG = 'x'.repeat(200);
const NON_ASCII = 'grüße 日本 🙂';

const EVERY_TYPE: KeyValue[] = [
  { key: 'str', value: 'GET' },
  { key: 'empty.str', value: '' },
  { key: 'non.ascii', value: NON_ASCII },
  { key: 'long', value: LONG },
  { key: '', value: 'empty key' },
  { key: 'ключ', value: 'значение' },
  { key: 'bool.true', value: true },
  { key: 'bool.false', value: false },
  { key: 'int.zero', value: 0n },
  { key: 'int', value: 200n },
  { key: 'int.negative', value: -42n },
  { key: 'int.safe.max', value: 9_007_199_254_740_991n },
  { key: 'int.past.safe', value: 9_007_199_254_740_993n },
  { key: 'int.min', value: -(2n ** 63n) },
  { key: 'int.max', value: 2n ** 63n - 1n },
  { key: 'double', value: 0.1 },
  { key: 'double.whole', value: 3 },
  { key: 'double.huge', value: 1e300 },
  { key: 'double.nan', value: Number.NaN },
  { key: 'double.inf', value: Number.NEGATIVE_INFINITY },
  { key: 'bytes', value: new Uint8Array([0, 1, 2, 250, 255]) },
  { key: 'empty.value', value: null },
  { key: 'array', value: ['a', 1n, 2.5, true, null, ['nested']] },
  {
    key: 'kvlist',
    value: {
      kvlistValue: [
        { key: 'inner', value: 'v' },
        { key: 'n', value: 7n },
      ],
    },
  },
  { key: 'str', value: 'duplicate key' },
];

function attribute(key: string, value: AnyValue): KeyValue {
  return { key, value };
}

function event(i: number, attributes: KeyValue[], droppedAttributesCount = 0): SpanEvent {
  return {
    timeUnixNano: 1_700_000_000_000_000_000n + BigInt(i),
    name: i % 2 ? NON_ASCII : `event ${i}`,
    attributes,
    droppedAttributesCount,
  };
}

function link(i: number, attributes: KeyValue[], flags = 0, droppedAttributesCount = 0): SpanLink {
  return {
    traceId: `${i}`.padStart(32, 'a'),
    spanId: `${i}`.padStart(16, 'b'),
    traceState: i % 2 ? '' : `vendor=${i},ü=1`,
    attributes,
    droppedAttributesCount,
    flags,
  };
}

function span(i: number): Span {
  const start = 1_700_000_000_000_000_000n + BigInt(i) * 1_000_000n;
  return {
    traceId: (i % 3).toString(16).padStart(32, '0'),
    spanId: (i + 1).toString(16).padStart(16, '0'),
    traceState: i % 2 ? '' : 'rojo=00f067aa0ba902b7',
    parentSpanId: i % 4 ? (i + 100).toString(16).padStart(16, '0') : '',
    flags: i % 3 ? 0x101 : 0,
    name: [``, `GET /users/${i}`, NON_ASCII, LONG][i % 4],
    kind: (i % 8) as Span['kind'],
    startTimeUnixNano: start,
    // Every fifth ends before it starts: stored with duration 0.
    endTimeUnixNano: i % 5 === 4 ? start - 10n : start + BigInt(i) * 12_345n,
    attributes: i % 6 === 5 ? [] : i % 2 ? EVERY_TYPE : EVERY_TYPE.slice(0, 6),
    droppedAttributesCount: i % 7,
    events: [
      [],
      [event(i, [attribute('cache.key', `k${i}`)])],
      [event(i, [attribute('attempt', BigInt(i))], 2), event(i + 1, [])],
      [event(i, EVERY_TYPE), event(i + 1, [attribute('ü', NON_ASCII)])],
    ][i % 4],
    droppedEventsCount: i % 3,
    links: [
      [],
      [link(i, [attribute('peer', 'x')])],
      [link(i, [attribute('weight', 0.5)], 0x100, 1), link(i + 1, [])],
    ][i % 3],
    droppedLinksCount: i % 2,
    status: { code: (i % 4) as Span['status']['code'], message: i % 4 === 2 ? NON_ASCII : '' },
  };
}

/** `count` spans under two resources, each with two scopes. */
export function makeVariedSpanBatch(count = 48): TracesData {
  const spans = Array.from({ length: count }, (_, i) => span(i));
  const quarter = Math.ceil(count / 4);
  const scope = (name: string, attributes: KeyValue[]) => ({
    name,
    version: name === '' ? '' : '1.0.0',
    attributes,
    droppedAttributesCount: attributes.length > 0 ? 1 : 0,
  });
  return [
    {
      resource: {
        attributes: [attribute('service.name', 'checkout'), ...EVERY_TYPE],
        droppedAttributesCount: 0,
      },
      scopeSpans: [
        {
          scope: scope('@opentelemetry/instrumentation-http', []),
          spans: spans.slice(0, quarter),
          schemaUrl: '',
        },
        {
          scope: scope('scope ü', [attribute('scope.attr', 1n), attribute('s', 'v')]),
          spans: spans.slice(quarter, 2 * quarter),
          schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
        },
      ],
      schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
    },
    {
      resource: { attributes: [attribute('service.name', NON_ASCII)], droppedAttributesCount: 3 },
      scopeSpans: [
        { scope: scope('', []), spans: spans.slice(2 * quarter, 3 * quarter), schemaUrl: '' },
        { scope: scope('db', EVERY_TYPE), spans: spans.slice(3 * quarter), schemaUrl: '' },
      ],
      schemaUrl: '',
    },
  ];
}
