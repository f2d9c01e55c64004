import { describe, expect, it } from 'vitest';
import { TRACE_SPANS_LAYOUT_1 } from '../schema/trace-spans-schema.js';
import { ROWS_PER_SLICE, parseTraceSpanRows } from './trace-span-rows.js';

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
    expect(await parseTraceSpanRows('')).toEqual([]);
    expect(await parseTraceSpanRows('\n')).toEqual([]);
  });

  it('names each value by the layout and sorts by start time (numerically), then span id', async () => {
    const text =
      [row('1000000000000000002', 'b'), row('999999999999999999', 'z'), row('1000000000000000002', 'a')].join(
        '\n',
      ) + '\n';
    const rows = await parseTraceSpanRows(text);
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
    const rows = await parseTraceSpanRows(lines.join('\n'));
    expect(rows).toHaveLength(count);
    expect(rows[0].start).toBe(start(1));
    expect(rows[count - 1].start).toBe(start(count));
    expect(rows.every((r, i) => i === 0 || r.start > rows[i - 1].start)).toBe(true);
  });

  it('refuses a layout it does not know, saying what to do', async () => {
    await expect(parseTraceSpanRows('[2,"x"]\n')).rejects.toThrow(
      'a stored span has layout version 2, which this Tracehouse cannot read (upgrade it)',
    );
  });
});
