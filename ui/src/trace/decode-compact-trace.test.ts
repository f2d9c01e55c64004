import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildTree } from './build-tree';
import type { CompactTrace } from './compact-format';
import { decodeCompactTrace } from './decode-compact-trace';
import type { TracesDataJson } from './otlp-json';
import { parseTrace } from './parse-trace';
import type { TraceSpan } from './trace-model';

/*
 * The server's corpus pair (src/api/native/compact-trace/testdata): its encoder turned the OTLP/JSON
 * file into the compact file. Decoding the compact file must give the trace view the same model as
 * reading the OTLP/JSON file does — ids, exact nanoseconds, attributes of every type, events,
 * links, a parent that never arrived — so the two paths cannot drift apart unnoticed.
 */
const TESTDATA = new URL('../../../src/api/native/compact-trace/testdata/', import.meta.url);
const read = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, TESTDATA), 'utf8')) as T;
const TRACE_ID = '5b8efff798038103d269b633813fc600';

const compact = decodeCompactTrace(read<CompactTrace>('every-field.compact.json'));
const otlp = parseTrace(TRACE_ID, read<TracesDataJson>('every-field.otlp.json'));

/** A span's fields, with the OTLP/JSON reader's absent-means-default spelled out. */
function fields(span: TraceSpan) {
  return {
    index: span.index,
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    traceState: span.traceState,
    name: span.name,
    service: span.service,
    serviceIndex: span.serviceIndex,
    kind: span.kind,
    statusCode: span.statusCode,
    statusMessage: span.statusMessage,
    startUnixNano: span.startUnixNano,
    endUnixNano: span.endUnixNano,
    attributes: span.attributes,
    resource: span.resource,
    scope: {
      name: span.scope.name ?? '',
      version: span.scope.version ?? '',
      attributes: span.scope.attributes ?? [],
    },
    events: span.events.map((e) => ({ name: e.name, attributes: e.attributes })),
    links: span.links.map((l) => ({ ...l, traceState: l.traceState ?? '', attributes: l.attributes ?? [] })),
  };
}

describe('decodeCompactTrace', () => {
  it('gives the same spans as the OTLP/JSON of the same trace, field by field', () => {
    expect(compact.spans).toHaveLength(5);
    expect(compact.spans.map(fields)).toEqual(otlp.spans.map(fields));
    expect([compact.traceId, compact.services, compact.errorCount]).toEqual([
      otlp.traceId,
      otlp.services,
      otlp.errorCount,
    ]);
  });

  it('keeps nanoseconds exact, including past 2^53 ns after the start', () => {
    expect(compact.startUnixNano).toBe('1795629961023456789');
    const late = compact.spans.find((s) => s.spanId === '00000000000000e1')!;
    expect([late.startUnixNano, late.endUnixNano]).toEqual(['1812909961123456789', '1812909961123456790']);
    const card = compact.spans.find((s) => s.spanId === '00000000000000c1')!;
    expect(card.start).toBe(100.000212);
    expect(card.duration).toBe(399.999998);
    expect(card.events.map((e) => e.time)).toEqual([176.543212, 76.543211]);
    // Layout times agree with the OTLP/JSON reader's to its precision (it goes through Unix ms).
    compact.spans.forEach((span, i) => {
      expect(span.start).toBeCloseTo(otlp.spans[i].start, 3);
      expect(span.duration).toBeCloseTo(otlp.spans[i].duration, 3);
    });
    expect(compact.duration).toBeCloseTo(otlp.duration, 3);
  });

  it('hands the tree resolved parents that build the same tree as looking ids up', () => {
    const fromPositions = buildTree(compact);
    const fromIds = buildTree({ ...compact, parentIndex: undefined });
    expect(fromPositions).toEqual(fromIds);
    const orphan = compact.spans.findIndex((s) => s.spanId === '00000000000000d1');
    expect(fromPositions.missingParent[orphan]).toBe(1);
    expect(fromPositions.roots.map((r) => compact.spans[r].spanId)).toEqual([
      '00000000000000a1',
      '00000000000000d1',
    ]);
  });

  it("marks an outline partial and draws it as the whole trace's first frame", () => {
    const data = read<CompactTrace>('every-field.compact.json');
    const zeros = data.spans.spanId.map(() => 0);
    // What the server's outline leaves out: attributes, events, links, messages, trace states.
    const outline = decodeCompactTrace({
      ...data,
      partial: true,
      spans: {
        ...data.spans,
        statusMessage: zeros,
        traceState: zeros,
        attributeCount: zeros,
        attributes: [],
      },
      events: { span: [], time: [], name: [], attributes: [] },
      links: { span: [], traceId: [], spanId: [], traceState: [], attributes: [] },
    });
    const drawn = (span: TraceSpan) => [
      span.spanId,
      span.parentSpanId,
      span.name,
      span.service,
      span.serviceIndex,
      span.kind,
      span.statusCode,
      span.start,
      span.duration,
    ];
    expect([outline.partial, compact.partial]).toEqual([true, false]);
    expect(outline.spans.map(drawn)).toEqual(compact.spans.map(drawn));
    expect([outline.duration, outline.errorCount, outline.services]).toEqual([
      compact.duration,
      compact.errorCount,
      compact.services,
    ]);
    expect(outline.spans.map((s) => [s.attributes, s.events, s.links])).toEqual(
      outline.spans.map(() => [[], [], []]),
    );
  });

  it('refuses a version it does not know', () => {
    const data = read<CompactTrace>('every-field.compact.json');
    expect(() => decodeCompactTrace({ ...data, version: 2 })).toThrow(/version 2/);
  });
});
