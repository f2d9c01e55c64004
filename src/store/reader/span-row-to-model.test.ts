import { describe, expect, it } from 'vitest';
import { emptySpan } from '../../model/factories.js';
import type { KeyValue } from '../../model/attributes.js';
import { TRACE_SPANS_LAYOUT_2 } from '../schema/trace-spans-schema.js';
import { spanRowOfModel } from './span-row-of-model.js';
import { spanRowsToModel } from './span-row-to-model.js';
import { parseTraceSpanRows } from './trace-span-rows.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

/** A stored layout-2 row of one span under `service`'s resource and `scope`. */
function storedRow(start: number, spanId: string, service: string, scope: string): string {
  const head: Record<string, unknown> = {
    start: String(1_700_000_000_000_000_000n + BigInt(start)),
    duration: '1000',
    SpanId: spanId,
    ParentSpanId: '',
    TraceState: '',
    SpanName: `op-${spanId}`,
    SpanKind: 'Internal',
    ServiceName: service,
    resourceKeys: ['service.name'],
    resourceValues: [service],
    ScopeName: scope,
    ScopeVersion: '1',
    spanKeys: [],
    spanValues: [],
    StatusCode: 'Unset',
    StatusMessage: '',
    Flags: 0,
    SpanAttributeTypes: {},
    SpanAttributeAnyValues: {},
    DroppedAttributesCount: 0,
    DroppedEventsCount: 0,
    DroppedLinksCount: 0,
  };
  return JSON.stringify([2, ...TRACE_SPANS_LAYOUT_2.head.map((name) => head[name]), 0, 0, 0]);
}

describe('spanRowsToModel', () => {
  it('groups interleaved rows under their resource and scope, keeping span order in each', async () => {
    const combos = [
      ['frontend', 'http'],
      ['backend', 'http'],
      ['frontend', 'db'],
    ] as const;
    const lines = Array.from({ length: 90 }, (_, i) => {
      const [service, scope] = combos[i % 3];
      return storedRow(i, i.toString(16).padStart(16, '0'), service, scope);
    });
    const model = await spanRowsToModel(await parseTraceSpanRows(lines.join('\n'), TRACE));
    expect(model.map((rs) => rs.resource.attributes)).toEqual([
      [{ key: 'service.name', value: 'frontend' }],
      [{ key: 'service.name', value: 'backend' }],
    ]);
    expect(model[0].scopeSpans.map((ss) => [ss.scope.name, ss.spans.length])).toEqual([
      ['http', 30],
      ['db', 30],
    ]);
    expect(model[1].scopeSpans.map((ss) => [ss.scope.name, ss.spans.length])).toEqual([['http', 30]]);
    const starts = model[0].scopeSpans[1].spans.map((s) => s.startTimeUnixNano);
    expect(starts).toEqual([...starts].sort((a, b) => (a < b ? -1 : 1)));
    expect(model[0].scopeSpans[1].spans[0].traceId).toBe(TRACE);
  });

  it('keeps more resources than it compares against apart too', async () => {
    const lines = Array.from({ length: 200 }, (_, i) =>
      storedRow(i, i.toString(16).padStart(16, '0'), `service-${i % 50}`, 'scope'),
    );
    const model = await spanRowsToModel(await parseTraceSpanRows(lines.join('\n'), TRACE));
    expect(model).toHaveLength(50);
    expect(model.every((rs) => rs.scopeSpans.length === 1 && rs.scopeSpans[0].spans.length === 4)).toBe(true);
  });

  it('keeps resources apart that differ only in which attribute of a repeated key has which type', async () => {
    // Same keys, same strings, same last type of `d` (what the type map holds as an object).
    const lists: KeyValue[][] = [
      [
        { key: 'd', value: 1n },
        { key: 'd', value: '1' },
        { key: 'd', value: 'x' },
      ],
      [
        { key: 'd', value: '1' },
        { key: 'd', value: 1n },
        { key: 'd', value: 'x' },
      ],
    ];
    const rows = lists.map((attributes, i) =>
      spanRowOfModel(
        { attributes, droppedAttributesCount: 0 },
        '',
        { name: 's', version: '', attributes: [], droppedAttributesCount: 0 },
        '',
        { ...emptySpan(), traceId: TRACE, spanId: `${i}`.padStart(16, '0'), startTimeUnixNano: BigInt(i) },
      ),
    );
    expect(rows[0].ResourceAttributeTypes).toEqual(rows[1].ResourceAttributeTypes);
    const model = await spanRowsToModel(rows);
    expect(model.map((rs) => rs.resource.attributes)).toEqual(lists);
  });
});
