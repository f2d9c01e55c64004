import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AnyValue, KeyValue } from '../model/attributes.js';
import type { SpanKind, StatusCode, TracesData } from '../model/span.js';
import { decodeZipkinSpans, ZipkinDecodeError } from './decode-zipkin-spans.js';
import { encodeZipkinSpans } from './encode-zipkin-spans.js';

/**
 * Golden outputs of the real Collector (opentelemetry-collector-contrib v0.165.1,
 * pkg/translator/zipkin/zipkinv2, feature gates at their defaults), as OTLP/JSON:
 * - testdata/collector-decoded.json: Zipkin bodies and what `NewJSONTracesUnmarshaler(false)` made
 *   of them, or its error;
 * - testdata/collector-encoded.json: OTLP data and what `NewJSONTracesMarshaler()` wrote for it.
 * See testdata/README.md for how they were produced and where this codec differs on purpose.
 */

interface OtlpValue {
  stringValue?: string;
  intValue?: string;
  boolValue?: boolean;
  doubleValue?: number;
  bytesValue?: string;
  arrayValue?: { values?: OtlpValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpValue;
}
interface OtlpEvent {
  timeUnixNano?: string;
  name?: string;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
}
interface OtlpLink {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: OtlpKeyValue[];
  droppedAttributesCount?: number;
}
interface OtlpSpan {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: OtlpKeyValue[];
  events?: OtlpEvent[];
  links?: OtlpLink[];
  status?: { code?: number; message?: string };
}
interface OtlpTraces {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: {
      scope?: { name?: string; version?: string; attributes?: OtlpKeyValue[] };
      spans?: OtlpSpan[];
    }[];
  }[];
}
interface GoldenCase {
  case: string;
  zipkin: unknown;
  collector?: OtlpTraces;
  collectorError?: string;
}

function readJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`./testdata/${name}`, import.meta.url), 'utf8'));
}

const cases = readJson('collector-decoded.json') as GoldenCase[];

function anyValue(value: OtlpValue | undefined): AnyValue {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return BigInt(value.intValue);
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.bytesValue !== undefined) return new Uint8Array(Buffer.from(value.bytesValue, 'base64'));
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(anyValue);
  if (value.kvlistValue !== undefined) return { kvlistValue: keyValues(value.kvlistValue.values) };
  return null;
}

/** Sorted by key: Go ranges over maps in random order, so only the set of attributes is comparable. */
function keyValues(list: OtlpKeyValue[] | undefined): KeyValue[] {
  return sortByKey((list ?? []).map(({ key, value }) => ({ key, value: anyValue(value) })));
}

function sortByKey(list: KeyValue[]): KeyValue[] {
  return [...list].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function fromOtlpJson(doc: OtlpTraces): TracesData {
  return (doc.resourceSpans ?? []).map((rs) => ({
    resource: { attributes: keyValues(rs.resource?.attributes), droppedAttributesCount: 0 },
    scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({
      scope: {
        name: ss.scope?.name ?? '',
        version: ss.scope?.version ?? '',
        attributes: keyValues(ss.scope?.attributes),
        droppedAttributesCount: 0,
      },
      spans: (ss.spans ?? []).map((s) => ({
        traceId: s.traceId ?? '',
        spanId: s.spanId ?? '',
        traceState: s.traceState ?? '',
        parentSpanId: s.parentSpanId ?? '',
        flags: 0,
        name: s.name ?? '',
        kind: (s.kind ?? 0) as SpanKind,
        startTimeUnixNano: BigInt(s.startTimeUnixNano ?? '0'),
        endTimeUnixNano: BigInt(s.endTimeUnixNano ?? '0'),
        attributes: keyValues(s.attributes),
        droppedAttributesCount: 0,
        events: (s.events ?? []).map((e) => ({
          timeUnixNano: BigInt(e.timeUnixNano ?? '0'),
          name: e.name ?? '',
          attributes: keyValues(e.attributes),
          droppedAttributesCount: e.droppedAttributesCount ?? 0,
        })),
        droppedEventsCount: 0,
        links: (s.links ?? []).map((l) => ({
          traceId: l.traceId ?? '',
          spanId: l.spanId ?? '',
          traceState: l.traceState ?? '',
          attributes: keyValues(l.attributes),
          droppedAttributesCount: l.droppedAttributesCount ?? 0,
          flags: 0,
        })),
        droppedLinksCount: 0,
        status: { code: (s.status?.code ?? 0) as StatusCode, message: s.status?.message ?? '' },
      })),
      schemaUrl: '',
    })),
    schemaUrl: '',
  }));
}

/**
 * Attributes sorted by key and spans by id: the Collector's sort is unstable (for small batches it
 * reverses spans of the same service and scope), so only the grouping is comparable, not the order.
 */
function canonical(data: TracesData): TracesData {
  return data.map((rs) => ({
    ...rs,
    resource: { ...rs.resource, attributes: sortByKey(rs.resource.attributes) },
    scopeSpans: rs.scopeSpans.map((ss) => ({
      ...ss,
      spans: ss.spans
        .map((s) => ({
          ...s,
          attributes: sortByKey(s.attributes),
          events: s.events.map((e) => ({ ...e, attributes: sortByKey(e.attributes) })),
          links: s.links.map((l) => ({ ...l, attributes: sortByKey(l.attributes) })),
        }))
        .sort((a, b) => (a.spanId < b.spanId ? -1 : 1)),
    })),
  }));
}

describe('decodeZipkinSpans against the Collector', () => {
  it.each(cases.filter((c) => c.collector !== undefined))('decodes $case as the Collector does', (golden) => {
    expect(canonical(decodeZipkinSpans(golden.zipkin))).toEqual(canonical(fromOtlpJson(golden.collector!)));
  });

  it.each(cases.filter((c) => c.collectorError !== undefined))(
    'rejects $case as the Collector does ($collectorError)',
    (golden) => {
      expect(() => decodeZipkinSpans(golden.zipkin)).toThrow(ZipkinDecodeError);
    },
  );
});

describe('encodeZipkinSpans against the Collector', () => {
  it('writes what the Collector writes', () => {
    const golden = readJson('collector-encoded.json') as { otlp: OtlpTraces; collector: unknown };
    expect(encodeZipkinSpans(fromOtlpJson(golden.otlp))).toEqual(golden.collector);
  });
});
