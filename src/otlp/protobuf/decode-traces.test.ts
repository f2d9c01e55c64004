import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import type { TracesData } from '../../model/span.js';
import { emptySpan } from '../../model/factories.js';
import { expectedFlatSpan, flattenSpans, makeSdkSpans } from '../../../test/support/sdk-spans.js';
import { decodeExportTraceServiceRequest } from './decode-traces.js';
import { encodeExportTraceServiceRequest } from './encode-traces.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { ProtoWriter } from './proto-writer.js';
import { DecodeCaches } from './proto-reader.js';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';

function bySpanId<T extends { span: { spanId: string } }>(items: T[]): T[] {
  return [...items].sort((a, b) => a.span.spanId.localeCompare(b.span.spanId));
}

describe('decodeExportTraceServiceRequest', () => {
  it('decodes what the OpenTelemetry JS protobuf serializer produces, field by field', async () => {
    const sdkSpans = await makeSdkSpans();
    const bytes = ProtobufTraceSerializer.serializeRequest(sdkSpans);
    if (!bytes) throw new Error('serializer produced nothing');
    const decoded = decodeExportTraceServiceRequest(bytes);
    const actual = bySpanId(flattenSpans(decoded));
    const expected = bySpanId(sdkSpans.map(expectedFlatSpan));
    expect(actual).toHaveLength(sdkSpans.length);
    for (let i = 0; i < expected.length; i++) expect(actual[i]).toEqual(expected[i]);
    // The fixture really covers what it claims to.
    const child = actual.find((s) => s.span.name === 'fetch_limit')!.span;
    expect(child.droppedEventsCount).toBe(1);
    expect(child.links[0].attributes).toEqual([
      { key: 'link.reason', value: 'retry-of' },
      { key: 'link.attempt', value: 2n },
    ]);
    expect(actual.find((s) => s.span.name === 'dropping')!.span.droppedAttributesCount).toBe(4);
  });

  it('round-trips every AnyValue kind, int64 extremes and nanosecond timestamps beyond 2^53', () => {
    const span = {
      ...emptySpan(),
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      parentSpanId: 'eee19b7ec3c1b173',
      traceState: 'vendor=a,other=b',
      flags: 0x301,
      name: 'everything',
      kind: 5 as const,
      startTimeUnixNano: 1_700_000_000_123_456_789n,
      endTimeUnixNano: 18_446_744_073_709_551_615n,
      attributes: [
        { key: 's', value: 'text ☃' },
        { key: 'empty-string', value: '' },
        { key: 'b', value: false },
        { key: 'i-max', value: 9_223_372_036_854_775_807n },
        { key: 'i-min', value: -9_223_372_036_854_775_808n },
        { key: 'i-neg', value: -1n },
        { key: 'i-zero', value: 0n },
        { key: 'i-2^53+1', value: 9_007_199_254_740_993n },
        { key: 'd', value: -0.5 },
        { key: 'd-zero', value: 0 },
        { key: 'nan', value: Number.NaN },
        { key: 'bytes', value: new Uint8Array([0, 1, 254, 255]) },
        { key: 'empty-bytes', value: new Uint8Array([]) },
        { key: 'arr', value: ['a', 1n, 2.5, true, null, [new Uint8Array([7])]] },
        {
          key: 'kv',
          value: { kvlistValue: [{ key: 'nested', value: { kvlistValue: [{ key: 'x', value: 1n }] } }] },
        },
        { key: 'none', value: null },
        { key: 'long', value: 'x'.repeat(300) + 'é' },
      ],
      droppedAttributesCount: 3,
      events: [
        { timeUnixNano: 1n, name: 'e', attributes: [{ key: 'k', value: 'v' }], droppedAttributesCount: 2 },
      ],
      droppedEventsCount: 4,
      links: [
        {
          traceId: '00000000000000000000000000000001',
          spanId: '0000000000000002',
          traceState: 'k=v',
          attributes: [{ key: 'l', value: 3n }],
          droppedAttributesCount: 1,
          flags: 1,
        },
      ],
      droppedLinksCount: 5,
      status: { code: 2 as const, message: 'boom' },
    };
    const data: TracesData = [
      {
        resource: { attributes: [{ key: 'service.name', value: 'svc' }], droppedAttributesCount: 6 },
        schemaUrl: 'https://opentelemetry.io/schemas/1.21.0',
        scopeSpans: [
          {
            scope: {
              name: 'lib',
              version: '1',
              attributes: [{ key: 'scope.attr', value: true }],
              droppedAttributesCount: 7,
            },
            schemaUrl: 'https://opentelemetry.io/schemas/1.20.0',
            spans: [span, { ...span, spanId: '1111111111111111', attributes: [] }],
          },
        ],
      },
    ];
    const decoded = decodeExportTraceServiceRequest(encodeExportTraceServiceRequest(data));
    expect(decoded).toEqual(data);
    expect(Object.is(decoded[0].scopeSpans[0].spans[0].attributes[9].value, 0)).toBe(true);
  });

  it('refuses to encode a malformed id instead of writing a corrupt message', () => {
    for (const spanId of ['0123456789abcdeX', '012']) {
      const data: TracesData = [
        {
          resource: { attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          scopeSpans: [
            {
              scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 },
              schemaUrl: '',
              spans: [{ ...emptySpan(), spanId }],
            },
          ],
        },
      ];
      expect(() => encodeExportTraceServiceRequest(data)).toThrow(
        `id "${spanId}" is not an even-length hex string`,
      );
    }
  });

  it('decodes non-ASCII strings of every length exactly', () => {
    const names = ['é', 'naïve', '日本語のスパン名', 'x'.repeat(100) + '☃', '\u{1F600}', 'ascii-only'];
    const data: TracesData = [
      {
        resource: {
          attributes: names.map((n, i) => ({ key: `k${i}${n}`, value: n })),
          droppedAttributesCount: 0,
        },
        schemaUrl: '',
        scopeSpans: [],
      },
    ];
    expect(decodeExportTraceServiceRequest(encodeExportTraceServiceRequest(data))).toEqual(data);
  });

  it('reads bool attributes, written canonically or not, and what follows them', () => {
    // Canonical 0 and 1 take decodeAttributes' fast path; other varints the general one.
    const bool = (w: ProtoWriter, key: string, varint: number[]): void => {
      w.beginMessage(9); // Span.attributes
      w.stringField(1, key);
      w.beginMessage(2); // AnyValue
      w.tag(2, 0); // bool_value
      for (const b of varint) w.byte(b);
      w.endMessage();
      w.endMessage();
    };
    const w = new ProtoWriter();
    w.beginMessage(1); // ResourceSpans
    w.beginMessage(2); // ScopeSpans
    w.beginMessage(2); // Span
    bool(w, 'true', [1]);
    bool(w, 'false', [0]);
    bool(w, 'two', [2]);
    bool(w, 'long-one', [0x81, 0x00]);
    bool(w, 'long-zero', [0x80, 0x00]);
    w.beginMessage(9);
    w.stringField(1, 'after');
    w.beginMessage(2);
    w.stringField(1, 'text');
    w.endMessage();
    w.endMessage();
    w.stringField(5, 'name');
    w.endMessage();
    w.endMessage();
    w.endMessage();
    const span = decodeExportTraceServiceRequest(w.finish())[0].scopeSpans[0].spans[0];
    expect(span.attributes).toEqual([
      { key: 'true', value: true },
      { key: 'false', value: false },
      { key: 'two', value: true },
      { key: 'long-one', value: true },
      { key: 'long-zero', value: false },
      { key: 'after', value: 'text' },
    ]);
    expect(span.name).toBe('name');
  });

  it('skips unknown fields of every wire type (forward compatibility)', () => {
    const known = encodeExportTraceServiceRequest([
      { resource: { attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [] },
    ]);
    // field 99 varint, field 98 fixed64, field 97 bytes, field 96 fixed32, field 95 group
    const unknown = Buffer.from([
      0x98, 0x06, 0x96, 0x01, 0x91, 0x06, 1, 2, 3, 4, 5, 6, 7, 8, 0x8a, 0x06, 2, 0xaa, 0xbb, 0x85, 0x06, 1, 2,
      3, 4, 0xfb, 0x05, 0x08, 0x01, 0xfc, 0x05,
    ]);
    expect(decodeExportTraceServiceRequest(Buffer.concat([unknown, known]))).toEqual(
      decodeExportTraceServiceRequest(known),
    );
    // The deprecated instrumentation_library_spans (field 1000) of old exporters is skipped too.
    const old = Buffer.from([0x0a, 0x04, 0xc2, 0x3e, 0x01, 0x00]);
    expect(decodeExportTraceServiceRequest(old)).toEqual([
      { resource: { attributes: [], droppedAttributesCount: 0 }, scopeSpans: [], schemaUrl: '' },
    ]);
  });

  const bad: [string, number[], RegExp][] = [
    [
      'a length past the end',
      [0x0a, 0x05, 0x12, 0x00],
      /truncated message: length 5 at byte 2 runs past the end/,
    ],
    ['a truncated varint', [0x0a, 0x02, 0x12, 0x80], /truncated message/],
    [
      'a nested length past its parent',
      [0x0a, 0x02, 0x12, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      /runs past the end of its container at byte 4/,
    ],
    [
      'a known field with the wrong wire type',
      [0x0a, 0x02, 0x18, 0x01],
      /ResourceSpans: field 3 has wrong wire type 0/,
    ],
    ['field number zero', [0x00, 0x01], /invalid field number 0/],
    ['an invalid wire type', [0x2f], /invalid wire type 7 for field 5/],
    [
      'an over-long varint',
      [0x28, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01],
      /varint longer than 10 bytes/,
    ],
    ['a mismatched end group', [0x2b, 0x34], /mismatched end group 6/],
  ];
  for (const [what, bytes, message] of bad) {
    it(`rejects ${what} with a ProtobufDecodeError`, () => {
      const decode = () => decodeExportTraceServiceRequest(Buffer.from(bytes));
      expect(decode).toThrow(ProtobufDecodeError);
      expect(decode).toThrow(message);
    });
  }

  it('refuses AnyValue nesting deep enough to overflow the stack', () => {
    let value: TracesData[0]['scopeSpans'][0]['spans'][0]['attributes'][0]['value'] = 'leaf';
    for (let i = 0; i < 100; i++) value = [value];
    const data: TracesData = [
      {
        resource: { attributes: [{ key: 'deep', value }], droppedAttributesCount: 0 },
        schemaUrl: '',
        scopeSpans: [],
      },
    ];
    expect(() => decodeExportTraceServiceRequest(encodeExportTraceServiceRequest(data))).toThrow(
      /AnyValue nested deeper than 64 levels/,
    );
  });

  it('gives the same result with caches shared across many requests as with fresh ones', () => {
    const caches = new DecodeCaches();
    for (let seed = 1; seed <= 20; seed++) {
      const bytes = encodeExportTraceServiceRequest(makeRealisticBatch(64, seed));
      expect(decodeExportTraceServiceRequest(bytes, caches)).toEqual(decodeExportTraceServiceRequest(bytes));
    }
  });

  it('never throws anything but ProtobufDecodeError on corrupted bytes', async () => {
    const bytes = ProtobufTraceSerializer.serializeRequest(await makeSdkSpans())!;
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    let failures = 0;
    for (let i = 0; i < 2000; i++) {
      const corrupt = Buffer.from(bytes);
      for (let k = 0; k < 3; k++) corrupt[Math.floor(random() * corrupt.length)] = Math.floor(random() * 256);
      const cut = corrupt.subarray(0, Math.floor(random() * corrupt.length) + 1);
      try {
        decodeExportTraceServiceRequest(cut);
      } catch (error) {
        expect(error).toBeInstanceOf(ProtobufDecodeError);
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(100);
  });
});
