import { describe, expect, it } from 'vitest';
import { TRACE_SPANS_LAYOUT_1, TRACE_SPANS_LAYOUT_2 } from '../schema/trace-spans-schema.js';
import { ROWS_PER_SLICE, forEachTraceSpanRow, parseTraceSpanRows } from './trace-span-rows.js';

const TRACE = '0af7651916cd43dd8448eb211c80319c';

describe('trace spans layout 1', () => {
  it('is frozen: stored rows keep it, so changing it needs a new layout version and migration', () => {
    expect(TRACE_SPANS_LAYOUT_1).toEqual([
      'start',
      'duration',
      'TraceId',
      'SpanId',
      'ParentSpanId',
      'TraceState',
      'SpanName',
      'SpanKind',
      'ServiceName',
      'resourceKeys',
      'resourceValues',
      'ScopeName',
      'ScopeVersion',
      'spanKeys',
      'spanValues',
      'StatusCode',
      'StatusMessage',
      'eventTimes',
      'eventNames',
      'eventKeys',
      'eventValues',
      'linkTraceIds',
      'linkSpanIds',
      'linkTraceStates',
      'linkKeys',
      'linkValues',
      'ResourceSchemaUrl',
      'ResourceAttributeTypes',
      'ResourceAttributeAnyValues',
      'ResourceDroppedAttributesCount',
      'ScopeSchemaUrl',
      'scopeKeys',
      'scopeValues',
      'ScopeAttributeTypes',
      'ScopeAttributeAnyValues',
      'ScopeDroppedAttributesCount',
      'Flags',
      'SpanAttributeTypes',
      'SpanAttributeAnyValues',
      'DroppedAttributesCount',
      'DroppedEventsCount',
      'DroppedLinksCount',
      'EventsAttributeTypes',
      'EventsAttributeAnyValues',
      'EventsDroppedAttributesCount',
      'LinksFlags',
      'LinksAttributeTypes',
      'LinksAttributeAnyValues',
      'LinksDroppedAttributesCount',
    ]);
  });
});

/** A layout-1 row whose values are all placeholders except the ones named. */
function row(start: string, spanId: string): string {
  const values: unknown[] = [1, ...TRACE_SPANS_LAYOUT_1.map(() => '')];
  values[1 + TRACE_SPANS_LAYOUT_1.indexOf('start')] = start;
  values[1 + TRACE_SPANS_LAYOUT_1.indexOf('SpanId')] = spanId;
  return JSON.stringify(values);
}

describe('parseTraceSpanRows', () => {
  it('reads nothing from an empty answer', async () => {
    expect(await parseTraceSpanRows('', TRACE)).toEqual([]);
    expect(await parseTraceSpanRows('\n', TRACE)).toEqual([]);
  });

  it('names each value by the layout and sorts by start time (numerically), then span id', async () => {
    const text =
      [row('1000000000000000002', 'b'), row('999999999999999999', 'z'), row('1000000000000000002', 'a')].join(
        '\n',
      ) + '\n';
    const rows = await parseTraceSpanRows(text, TRACE);
    expect(rows.map((r) => [r.start, r.SpanId])).toEqual([
      ['999999999999999999', 'z'],
      ['1000000000000000002', 'a'],
      ['1000000000000000002', 'b'],
    ]);
    expect(rows[0].TraceState).toBe('');
  });

  it('reads more rows than one slice, in order', async () => {
    const count = ROWS_PER_SLICE * 2 + 7;
    const start = (offset: number): string => (10n ** 18n + BigInt(offset)).toString();
    const lines = Array.from({ length: count }, (_, i) => row(start(count - i), 'x'));
    const rows = await parseTraceSpanRows(lines.join('\n'), TRACE);
    expect(rows).toHaveLength(count);
    expect(rows[0].start).toBe(start(1));
    expect(rows[count - 1].start).toBe(start(count));
    expect(rows.every((r, i) => i === 0 || r.start > rows[i - 1].start)).toBe(true);
  });

  it('reads layout 2, filling the groups stored as 0 with their empty values', async () => {
    const { head } = TRACE_SPANS_LAYOUT_2;
    const values: unknown[] = [2, ...head.map((name) => `${name}-value`), 0, 0, 0];
    const [row] = await parseTraceSpanRows(JSON.stringify(values), TRACE);
    expect(row.TraceId).toBe(TRACE);
    expect(row.SpanName).toBe('SpanName-value');
    expect(row.DroppedLinksCount).toBe('DroppedLinksCount-value');
    expect([
      row.eventTimes,
      row.eventKeys,
      row.EventsAttributeTypes,
      row.linkTraceIds,
      row.LinksFlags,
    ]).toEqual([[], [], [], [], []]);
    expect([row.ResourceSchemaUrl, row.ScopeSchemaUrl, row.scopeKeys]).toEqual(['', '', []]);
    expect([row.ResourceAttributeTypes, row.ScopeAttributeAnyValues]).toEqual([{}, {}]);
    expect([row.ResourceDroppedAttributesCount, row.ScopeDroppedAttributesCount]).toEqual([0, 0]);
  });

  it('reads layout 2 groups that are present by position', async () => {
    const { head, events, links, resourceAndScope } = TRACE_SPANS_LAYOUT_2;
    const group = (names: readonly string[]): string[] => names.map((name) => `${name}-value`);
    const values = [2, ...group(head), group(events), group(links), group(resourceAndScope)];
    const [row] = await parseTraceSpanRows(JSON.stringify(values), TRACE);
    for (const name of [...head, ...events, ...links, ...resourceAndScope])
      expect(row[name as keyof typeof row]).toBe(`${name}-value`);
  });

  it('refuses a layout it does not know, saying what to do', async () => {
    await expect(parseTraceSpanRows('[9,"x"]\n', TRACE)).rejects.toThrow(
      'a stored span has layout version 9, which this Tracehouse cannot read (upgrade it)',
    );
  });
});

describe('forEachTraceSpanRow', () => {
  it('hands over every row once, in stored order, whatever the slice boundaries and trailing newlines', async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `id${i}`);
    const lines = ids.map((id, i) => row(String(10n ** 18n - BigInt(i)), id));
    for (const [text, slice] of [
      [lines.join('\n'), 4],
      [`${lines.join('\n')}\n`, 4],
      [`${lines.join('\n')}\n\n`, 5],
      [lines.join('\n'), 12],
      [`${lines.join('\n')}\n`, 1],
    ] as const) {
      const seen: string[] = [];
      const count = await forEachTraceSpanRow(text, TRACE, (r) => seen.push(r.SpanId), slice);
      expect({ slice, count, seen }).toEqual({ slice, count: 12, seen: ids });
    }
    expect(await forEachTraceSpanRow(' \n', TRACE, () => undefined)).toBe(0);
  });
});
