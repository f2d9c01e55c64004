import { describe, expect, it } from 'vitest';
import type { KeyValue } from '../../model/attributes.js';
import { emptyResourceSpans, emptyScope, emptySpan } from '../../model/factories.js';
import type { Span, TracesData } from '../../model/span.js';
import { SpanKind, StatusCode } from '../../model/span.js';
import { decodeExportTraceServiceRequestJson } from './decode-traces-json.js';
import { encodeExportTraceServiceRequestJson } from './encode-traces-json.js';
import { INT64_MAX, INT64_MIN, UINT32_MAX, UINT64_MAX } from './json-numbers.js';
import { TRACE_EXAMPLE, readTestdataJson } from './testdata/trace-example-model.js';

/** Through the wire: encode, stringify, parse, decode. */
function roundTrip(data: TracesData): TracesData {
  return decodeExportTraceServiceRequestJson(
    JSON.parse(JSON.stringify(encodeExportTraceServiceRequestJson(data))),
  );
}

/** One attribute of every kind, with the edge values of each. */
const EVERY_VALUE: KeyValue[] = [
  { key: 'string', value: 'héllo ✓ "quoted" \n' },
  { key: 'string.empty', value: '' },
  { key: 'bool.true', value: true },
  { key: 'bool.false', value: false },
  { key: 'int.zero', value: 0n },
  { key: 'int.negative', value: -1n },
  { key: 'int.past-2^53', value: 2n ** 53n + 1n },
  { key: 'int.min', value: INT64_MIN },
  { key: 'int.max', value: INT64_MAX },
  { key: 'double.zero', value: 0 },
  { key: 'double.integral', value: 5 },
  { key: 'double.fraction', value: 0.1 + 0.2 },
  { key: 'double.tiny', value: 5e-324 },
  { key: 'double.huge', value: Number.MAX_VALUE },
  { key: 'double.nan', value: NaN },
  { key: 'double.infinity', value: Infinity },
  { key: 'double.-infinity', value: -Infinity },
  { key: 'bytes', value: new Uint8Array([0, 0xfb, 0xff, 0xbf, 0x01]) },
  { key: 'bytes.empty', value: new Uint8Array(0) },
  { key: 'empty', value: null },
  { key: 'array.empty', value: [] },
  {
    key: 'array.nested',
    value: [
      1n,
      'a',
      2.5,
      [true, [null, new Uint8Array([1])], []],
      { kvlistValue: [{ key: 'k', value: NaN }] },
    ],
  },
  { key: 'kvlist.empty', value: { kvlistValue: [] } },
  {
    key: 'kvlist.nested',
    value: {
      kvlistValue: [
        { key: 'inner', value: { kvlistValue: [{ key: 'deep', value: [INT64_MAX, -Infinity] }] } },
        { key: '', value: 'an empty key' },
        { key: 'none', value: null },
      ],
    },
  },
  { key: '', value: 'an empty key' },
];

const FULL_SPAN: Span = {
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  traceState: 'congo=t61rcWkgMzE,rojo=00f067aa0ba902b7',
  parentSpanId: 'eee19b7ec3c1b173',
  flags: UINT32_MAX,
  name: 'GET /orders/{id}',
  kind: SpanKind.SERVER,
  startTimeUnixNano: 1700000000123456789n,
  endTimeUnixNano: UINT64_MAX,
  attributes: EVERY_VALUE,
  droppedAttributesCount: UINT32_MAX,
  events: [
    {
      timeUnixNano: 1700000000223456789n,
      name: 'cache.miss',
      attributes: EVERY_VALUE,
      droppedAttributesCount: 3,
    },
    { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 },
  ],
  droppedEventsCount: 7,
  links: [
    {
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceState: 'vendor=v1',
      attributes: [{ key: 'link.reason', value: 'retry-of' }],
      droppedAttributesCount: 1,
      flags: 0x301,
    },
    { traceId: '', spanId: '', traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 },
  ],
  droppedLinksCount: 2,
  status: { code: StatusCode.ERROR, message: 'upstream timeout' },
};

const FULL: TracesData = [
  {
    resource: { attributes: EVERY_VALUE, droppedAttributesCount: 1 },
    scopeSpans: [
      {
        scope: {
          name: '@acme/http',
          version: '2.1.0',
          attributes: [{ key: 'scope', value: true }],
          droppedAttributesCount: 2,
        },
        spans: [
          FULL_SPAN,
          emptySpan(),
          { ...emptySpan(), kind: SpanKind.CONSUMER, status: { code: StatusCode.OK, message: '' } },
        ],
        schemaUrl: 'https://opentelemetry.io/schemas/1.24.0',
      },
      { scope: emptyScope(), spans: [], schemaUrl: '' },
    ],
    schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
  },
  emptyResourceSpans(),
];

describe('encodeExportTraceServiceRequestJson', () => {
  it('round-trips every field and value kind through JSON text', () => {
    expect(roundTrip(FULL)).toEqual(FULL);
    expect(roundTrip([])).toEqual([]);
  });

  it('keeps ints and doubles apart, and int64 exact past 2^53', () => {
    const values = roundTrip(FULL)[0].resource.attributes.map((kv) => kv.value);
    expect(values[EVERY_VALUE.findIndex((kv) => kv.key === 'int.past-2^53')]).toBe(9007199254740993n);
    expect(typeof values[EVERY_VALUE.findIndex((kv) => kv.key === 'double.integral')]).toBe('number');
  });

  it('writes the spec example back as the spec example, ids in lower case, status present', () => {
    const expected = readTestdataJson('trace-example.json') as {
      resourceSpans: { scopeSpans: { spans: Record<string, unknown>[] }[] }[];
    };
    const span = expected.resourceSpans[0].scopeSpans[0].spans[0];
    for (const id of ['traceId', 'spanId', 'parentSpanId']) span[id] = (span[id] as string).toLowerCase();
    span.status = {};
    expect(encodeExportTraceServiceRequestJson(TRACE_EXAMPLE)).toStrictEqual(expected);
  });

  it('leaves out fields that hold their proto3 default, but keeps present messages', () => {
    expect(encodeExportTraceServiceRequestJson([])).toStrictEqual({});
    expect(
      encodeExportTraceServiceRequestJson([
        {
          ...emptyResourceSpans(),
          scopeSpans: [{ scope: emptyScope(), spans: [emptySpan()], schemaUrl: '' }],
        },
      ]),
    ).toStrictEqual({
      resourceSpans: [{ resource: {}, scopeSpans: [{ scope: {}, spans: [{ status: {} }] }] }],
    });
  });

  it('writes ids as hex, enums as numbers, 64-bit integers as strings and 32-bit ones as numbers', () => {
    const [rs] = encodeExportTraceServiceRequestJson(FULL).resourceSpans ?? [];
    const span = rs.scopeSpans?.[0].spans?.[0];
    expect(span).toMatchObject({
      traceId: '5b8efff798038103d269b633813fc60c',
      parentSpanId: 'eee19b7ec3c1b173',
      flags: 4294967295,
      kind: 2,
      startTimeUnixNano: '1700000000123456789',
      endTimeUnixNano: '18446744073709551615',
      droppedAttributesCount: 4294967295,
      status: { code: 2, message: 'upstream timeout' },
    });
    expect(span?.events?.[1]).toStrictEqual({});
    expect(span?.links?.[0]).toStrictEqual({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: 'b7ad6b7169203331',
      traceState: 'vendor=v1',
      attributes: [{ key: 'link.reason', value: { stringValue: 'retry-of' } }],
      droppedAttributesCount: 1,
      flags: 0x301,
    });
  });

  it('writes every AnyValue kind as protojson does, oneof members even at their default', () => {
    const encoded = encodeExportTraceServiceRequestJson([
      { ...emptyResourceSpans(), resource: { attributes: EVERY_VALUE, droppedAttributesCount: 0 } },
    ]);
    const byKey = new Map(
      encoded.resourceSpans?.[0].resource?.attributes?.map((kv) => [kv.key ?? '', kv.value]),
    );
    expect(Object.fromEntries(byKey)).toStrictEqual({
      string: { stringValue: 'héllo ✓ "quoted" \n' },
      'string.empty': { stringValue: '' },
      'bool.true': { boolValue: true },
      'bool.false': { boolValue: false },
      'int.zero': { intValue: '0' },
      'int.negative': { intValue: '-1' },
      'int.past-2^53': { intValue: '9007199254740993' },
      'int.min': { intValue: '-9223372036854775808' },
      'int.max': { intValue: '9223372036854775807' },
      'double.zero': { doubleValue: 0 },
      'double.integral': { doubleValue: 5 },
      'double.fraction': { doubleValue: 0.30000000000000004 },
      'double.tiny': { doubleValue: 5e-324 },
      'double.huge': { doubleValue: Number.MAX_VALUE },
      'double.nan': { doubleValue: 'NaN' },
      'double.infinity': { doubleValue: 'Infinity' },
      'double.-infinity': { doubleValue: '-Infinity' },
      bytes: { bytesValue: 'APv/vwE=' },
      'bytes.empty': { bytesValue: '' },
      empty: {},
      'array.empty': { arrayValue: {} },
      'array.nested': {
        arrayValue: {
          values: [
            { intValue: '1' },
            { stringValue: 'a' },
            { doubleValue: 2.5 },
            {
              arrayValue: {
                values: [
                  { boolValue: true },
                  { arrayValue: { values: [{}, { bytesValue: 'AQ==' }] } },
                  { arrayValue: {} },
                ],
              },
            },
            { kvlistValue: { values: [{ key: 'k', value: { doubleValue: 'NaN' } }] } },
          ],
        },
      },
      'kvlist.empty': { kvlistValue: {} },
      'kvlist.nested': {
        kvlistValue: {
          values: [
            {
              key: 'inner',
              value: {
                kvlistValue: {
                  values: [
                    {
                      key: 'deep',
                      value: {
                        arrayValue: {
                          values: [{ intValue: '9223372036854775807' }, { doubleValue: '-Infinity' }],
                        },
                      },
                    },
                  ],
                },
              },
            },
            { value: { stringValue: 'an empty key' } },
            { key: 'none', value: {} },
          ],
        },
      },
      // The empty key is left out like any empty string; Map keyed it '' above.
      '': { stringValue: 'an empty key' },
    });
  });
});
