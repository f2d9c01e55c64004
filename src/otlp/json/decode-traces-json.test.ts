import { describe, expect, it } from 'vitest';
import { emptyResource, emptyScope, emptySpan, unsetStatus } from '../../model/factories.js';
import { StatusCode } from '../../model/span.js';
import { decodeExportTraceServiceRequest } from '../protobuf/decode-traces.js';
import { encodeExportTraceServiceRequest } from '../protobuf/encode-traces.js';
import { MAX_ANY_VALUE_DEPTH } from './decode-any-value.js';
import { OtlpJsonDecodeError, decodeExportTraceServiceRequestJson } from './decode-traces-json.js';
import { TRACE_EXAMPLE, readTestdataJson } from './testdata/trace-example-model.js';

function decodeError(body: unknown): OtlpJsonDecodeError {
  try {
    decodeExportTraceServiceRequestJson(body);
  } catch (error) {
    if (error instanceof OtlpJsonDecodeError) return error;
    throw error;
  }
  throw new Error('decoded without an error');
}

/** A request with one span, for cases about the fields of a span. */
function oneSpan(span: unknown): unknown {
  return { resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] };
}

function decodeOneSpan(span: Record<string, unknown>) {
  return decodeExportTraceServiceRequestJson(oneSpan(span))[0].scopeSpans[0].spans[0];
}

describe('decodeExportTraceServiceRequestJson: documented examples', () => {
  it('decodes the spec example (opentelemetry-proto examples/trace.json), upper-case hex ids lowered', () => {
    expect(decodeExportTraceServiceRequestJson(readTestdataJson('trace-example.json'))).toEqual(
      TRACE_EXAMPLE,
    );
  });

  it('decodes the same example written with proto field names and enum names', () => {
    expect(decodeExportTraceServiceRequestJson(readTestdataJson('trace-example-snake-case.json'))).toEqual(
      TRACE_EXAMPLE,
    );
  });

  it('reads an all-zero parentSpanId as no parent (a root span, as the Collector and Tempo do)', () => {
    const span = { traceId: '5b'.repeat(16), spanId: 'ee'.repeat(8), name: 'root' };
    const decode = (parentSpanId: string): string =>
      decodeExportTraceServiceRequestJson({
        resourceSpans: [{ scopeSpans: [{ spans: [{ ...span, parentSpanId }] }] }],
      })[0].scopeSpans[0].spans[0].parentSpanId;
    expect(decode('0000000000000000')).toBe('');
    expect(decode('0102030405060708')).toBe('0102030405060708');
  });

  it('decodes an empty request, and null lists, to no data', () => {
    expect(decodeExportTraceServiceRequestJson({})).toEqual([]);
    expect(decodeExportTraceServiceRequestJson({ resourceSpans: null })).toEqual([]);
    expect(decodeExportTraceServiceRequestJson({ resourceSpans: [] })).toEqual([]);
  });
});

describe('decodeExportTraceServiceRequestJson: proto3 JSON leniencies', () => {
  it('fills missing messages and fields with proto3 defaults', () => {
    expect(
      decodeExportTraceServiceRequestJson({ resourceSpans: [{ scopeSpans: [{ spans: [{}] }] }] }),
    ).toEqual([
      {
        resource: emptyResource(),
        scopeSpans: [{ scope: emptyScope(), spans: [emptySpan()], schemaUrl: '' }],
        schemaUrl: '',
      },
    ]);
  });

  it('treats JSON null as the default for every kind of field', () => {
    const span = decodeOneSpan({
      traceId: null,
      name: null,
      kind: null,
      flags: null,
      startTimeUnixNano: null,
      attributes: null,
      events: null,
      status: null,
    });
    expect(span).toEqual(emptySpan());
  });

  it('ignores unknown fields at every level, as the OTLP spec requires', () => {
    const body = {
      futureTopLevel: 1,
      resourceSpans: [
        {
          resource: { attributes: [], entityRefs: [{ type: 'service' }], schemaUrl: 'ignored' },
          instrumentationLibrarySpans: [{ spans: [{ name: 'from a 2021 SDK' }] }],
          scopeSpans: [
            {
              scope: { name: 's', future: true },
              spans: [
                {
                  name: 'n',
                  futureField: { nested: [1, 2] },
                  status: { deprecatedCode: 2, code: 1 },
                  attributes: [{ key: 'k', keyStrindex: 3, value: { stringValue: 'v', future: 1 } }],
                },
              ],
            },
          ],
        },
      ],
    };
    const [rs] = decodeExportTraceServiceRequestJson(body);
    expect(rs.resource).toEqual(emptyResource());
    expect(rs.scopeSpans[0].scope.name).toBe('s');
    expect(rs.scopeSpans[0].spans[0]).toEqual({
      ...emptySpan(),
      name: 'n',
      status: { code: StatusCode.OK, message: '' },
      attributes: [{ key: 'k', value: 'v' }],
    });
  });

  it('reads enums as numbers or as their proto names', () => {
    const kinds = ['SPAN_KIND_UNSPECIFIED', 'SPAN_KIND_INTERNAL', 'SPAN_KIND_SERVER', 'SPAN_KIND_CLIENT'];
    kinds.push('SPAN_KIND_PRODUCER', 'SPAN_KIND_CONSUMER');
    kinds.forEach((name, number) => {
      expect(decodeOneSpan({ kind: name }).kind).toBe(number);
      expect(decodeOneSpan({ kind: number }).kind).toBe(number);
    });
    ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'].forEach((name, number) => {
      expect(decodeOneSpan({ status: { code: name } }).status.code).toBe(number);
      expect(decodeOneSpan({ status: { code: number, message: 'm' } }).status).toEqual({
        code: number,
        message: 'm',
      });
    });
  });

  it('keeps enum numbers the spec does not define yet, as proto3 open enums require', () => {
    expect(decodeOneSpan({ kind: 9, status: { code: 7 } })).toMatchObject({ kind: 9, status: { code: 7 } });
  });

  it('reads 64-bit integers from strings exactly and from JSON numbers, in any JSON number spelling', () => {
    const cases: [unknown, bigint][] = [
      ['18446744073709551615', 18446744073709551615n],
      ['1544712660123456789', 1544712660123456789n],
      [1544712660000000000, 1544712660000000000n],
      ['0', 0n],
      ['-0', 0n],
      [0, 0n],
      ['1e3', 1000n],
      ['1.5E3', 1500n],
      ['1.544712660123456789e18', 1544712660123456789n],
      ['15000e-3', 15n],
      ['0.0e99', 0n],
      [1e3, 1000n],
    ];
    for (const [input, expected] of cases) {
      expect(decodeOneSpan({ startTimeUnixNano: input }).startTimeUnixNano, String(input)).toBe(expected);
    }
    const attr = (value: unknown) =>
      decodeOneSpan({ attributes: [{ key: 'k', value: { intValue: value } }] }).attributes[0].value;
    expect(attr('-9223372036854775808')).toBe(-9223372036854775808n);
    expect(attr('9223372036854775807')).toBe(9223372036854775807n);
    expect(attr(-42)).toBe(-42n);
  });

  it('reads 32-bit integers from numbers or strings', () => {
    const span = decodeOneSpan({
      flags: '769',
      droppedAttributesCount: 4294967295,
      droppedEventsCount: '2e1',
      dropped_links_count: 1.0,
    });
    expect([
      span.flags,
      span.droppedAttributesCount,
      span.droppedEventsCount,
      span.droppedLinksCount,
    ]).toEqual([769, 4294967295, 20, 1]);
  });

  it('reads doubles from numbers, numeric strings and the three special strings', () => {
    const values = [1.5, '2.25', '-1e-3', 'NaN', 'Infinity', '-Infinity', 0, 3].map((doubleValue) => ({
      key: 'd',
      value: { doubleValue },
    }));
    const decoded = decodeOneSpan({ attributes: values }).attributes.map((kv) => kv.value);
    expect(decoded).toEqual([1.5, 2.25, -0.001, NaN, Infinity, -Infinity, 0, 3]);
    // A double stays a number even when integral, so it is never confused with an int.
    expect(typeof decoded[7]).toBe('number');
  });

  it('reads bytes in standard or URL-safe base64, padded or not', () => {
    const bytes = (bytesValue: string) =>
      decodeOneSpan({ attributes: [{ key: 'b', value: { bytesValue } }] }).attributes[0].value;
    const expected = new Uint8Array([0xfb, 0xff, 0xbf, 0x01]);
    for (const text of ['+/+/AQ==', '+/+/AQ', '-_-_AQ==', '-_-_AQ'])
      expect(bytes(text), text).toEqual(expected);
    expect(bytes('')).toEqual(new Uint8Array(0));
    expect(bytes('AQID')).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(bytes('AQID'))).toBe(false);
  });

  it('accepts ids of any whole number of bytes, leaving the length check to validation', () => {
    expect(decodeOneSpan({ traceId: 'ABCD', spanId: '', parentSpanId: '00' })).toMatchObject({
      traceId: 'abcd',
      spanId: '',
      parentSpanId: '00',
    });
  });

  it('reads every AnyValue kind, nested, with empty values as null', () => {
    const attributes = [
      { key: 's', value: { stringValue: '' } },
      { key: 'b', value: { boolValue: false } },
      { key: 'i', value: { intValue: '0' } },
      { key: 'empty', value: {} },
      { key: 'absent' },
      { key: 'nullMember', value: { stringValue: null } },
      { key: 'strindex', value: { stringValueStrindex: 4 } },
      {
        key: 'a',
        value: {
          arrayValue: {
            values: [
              { intValue: 1 },
              {},
              { arrayValue: {} },
              { kvlistValue: { values: [{ key: 'x', value: { boolValue: true } }] } },
            ],
          },
        },
      },
      { key: 'kv', value: { kvlist_value: {} } },
    ];
    expect(decodeOneSpan({ attributes }).attributes).toEqual([
      { key: 's', value: '' },
      { key: 'b', value: false },
      { key: 'i', value: 0n },
      { key: 'empty', value: null },
      { key: 'absent', value: null },
      { key: 'nullMember', value: null },
      { key: 'strindex', value: null },
      { key: 'a', value: [1n, null, [], { kvlistValue: [{ key: 'x', value: true }] }] },
      { key: 'kv', value: { kvlistValue: [] } },
    ]);
  });

  it(`accepts arrays nested ${MAX_ANY_VALUE_DEPTH} deep and rejects one level more`, () => {
    const nest = (levels: number): unknown => {
      let value: unknown = { stringValue: 'leaf' };
      for (let i = 0; i < levels; i++) value = { arrayValue: { values: [value] } };
      return { attributes: [{ key: 'deep', value }] };
    };
    expect(() => decodeExportTraceServiceRequestJson(oneSpan(nest(MAX_ANY_VALUE_DEPTH)))).not.toThrow();
    const error = decodeError(oneSpan(nest(MAX_ANY_VALUE_DEPTH + 1)));
    expect(error.reason).toBe(`arrays and kvlists nest deeper than ${MAX_ANY_VALUE_DEPTH} levels`);
    expect(error.path).toBe(
      `resourceSpans[0].scopeSpans[0].spans[0].attributes[0].value.${'arrayValue.values[0].'.repeat(MAX_ANY_VALUE_DEPTH)}arrayValue`,
    );
  });

  it('takes values nested no deeper than the protobuf decoder, which reads stored spans back, does', () => {
    // Arrays and kvlists mixed, at the deepest nesting the JSON decoder takes.
    let value: unknown = { intValue: '7' };
    for (let i = 0; i < MAX_ANY_VALUE_DEPTH; i++)
      value =
        i % 2 === 0
          ? { arrayValue: { values: [value] } }
          : { kvlistValue: { values: [{ key: `k${i}`, value }] } };
    const request = oneSpan({ attributes: [{ key: 'deep', value }] });
    const decoded = decodeExportTraceServiceRequestJson(request);
    expect(decodeExportTraceServiceRequest(encodeExportTraceServiceRequest(decoded))).toEqual(decoded);
  });

  it('reads an empty status as unset', () => {
    expect(decodeOneSpan({ status: {} }).status).toEqual(unsetStatus());
  });
});

interface MalformedCase {
  name: string;
  body: unknown;
  error: string;
}

describe('decodeExportTraceServiceRequestJson: malformed bodies (testdata/malformed-requests.json)', () => {
  const cases = readTestdataJson('malformed-requests.json') as MalformedCase[];

  it.each(cases)('$name', ({ body, error }) => {
    const thrown = decodeError(body);
    expect(thrown.message).toBe(error);
    expect(thrown.name).toBe('OtlpJsonDecodeError');
    expect(thrown.path === '' ? thrown.reason : `${thrown.path}: ${thrown.reason}`).toBe(error);
  });
});
