import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ResourceSpans } from '../../model/span.js';
import { decodeLayout3Row } from './layout-3-row.js';
import type { SpanRow } from './span-row-select.js';
import { spanRowOfModel } from './span-row-of-model.js';
import { TRACE_SPANS_LAYOUT_1, TRACE_SPANS_LAYOUT_2 } from '../schema/trace-spans-schema.js';

type RowReader = (values: unknown[], traceId: string) => SpanRow;

/**
 * Readers are generated once per layout as one object literal: every row then has the same shape
 * from birth. Assigning ~49 keys one by one from a names list put each row in dictionary mode and
 * cost ~15 µs a row — more than parsing it. Everything generated comes from our own constants.
 */
function compile(body: string): RowReader {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- built from constant names, see above
  return new Function('v', 'traceId', body) as RowReader;
}

function checked(name: string): string {
  if (!/^[A-Za-z]\w*$/.test(name)) throw new Error(`bad field name ${name}`);
  return name;
}

/** Layout 1: every SpanRow value in TRACE_SPANS_LAYOUT_1's order after the version. */
function layout1Reader(): RowReader {
  return compile(
    `return {${TRACE_SPANS_LAYOUT_1.map((name, i) => `${checked(name)}: v[${i + 1}]`).join(', ')}};`,
  );
}

/** What a value of a group left out as `0` in layout 2 stands for. */
const GROUP_DEFAULTS: Record<string, string> = {
  ResourceSchemaUrl: "''",
  ScopeSchemaUrl: "''",
  ResourceAttributeTypes: '{}',
  ResourceAttributeAnyValues: '{}',
  ScopeAttributeTypes: '{}',
  ScopeAttributeAnyValues: '{}',
  ResourceDroppedAttributesCount: '0',
  ScopeDroppedAttributesCount: '0',
};

/** Layout 2: the head values, then the events, links and resource-and-scope groups (or `0`). */
function layout2Reader(): RowReader {
  const { head, events, links, resourceAndScope } = TRACE_SPANS_LAYOUT_2;
  const fields = head.map((name, i) => `${checked(name)}: v[${i + 1}]`);
  const groups = [events, links, resourceAndScope];
  groups.forEach((names, g) => {
    const value = `g${g}`;
    names.forEach((name, i) =>
      fields.push(`${checked(name)}: ${value} === 0 ? ${GROUP_DEFAULTS[name] ?? '[]'} : ${value}[${i}]`),
    );
  });
  const groupValues = groups.map((_, g) => `g${g} = v[${head.length + 1 + g}]`).join(', ');
  return compile(`const ${groupValues}; return {TraceId: traceId, ${fields.join(', ')}};`);
}

/** The readers of the layouts a stored row may have, by the version in its first position. */
const LAYOUTS: ReadonlyMap<number, RowReader> = new Map([
  [1, layout1Reader()],
  [2, layout2Reader()],
]);

/** Rows parsed between two yields to the event loop. */
export const ROWS_PER_SLICE = 2000;

/**
 * Rows of `tracehouse_trace_spans.Span` as TRACE_SPANS_READ_SELECT gives them, one a line
 * (TabSeparatedRaw output: no escaping; JSON has no raw newlines, base64 none at all): JSON
 * arrays (layouts 1 and 2) and base64 protobuf (layout 3, decoded one by one), handed to
 * `visit` as SpanRows in stored order; returns how many. One JSON.parse per slice of rows (a call per line costs more), and the event loop gets
 * a turn between slices: a 100,000-span trace is ~40 MB of JSON, seconds of parsing that must not
 * hold up ingest acknowledgements on the same loop. A visitor that keeps only what it needs lets
 * each slice's rows die young, which is most of the time saved: holding all of a large trace's
 * rows at once makes the garbage collector copy them between generations, which took longer than
 * parsing them.
 */
export async function forEachTraceSpanRow(
  text: string,
  traceId: string,
  visit: (row: SpanRow) => void,
  rowsPerSlice = ROWS_PER_SLICE,
): Promise<number> {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) <= 0x20) end--;
  let rows = 0;
  for (let from = 0; from < end;) {
    if (from > 0) await nextTurn();
    let to = from;
    let layout3 = 0;
    for (let n = 0; n < rowsPerSlice && to < end; n++) {
      if (text.charCodeAt(to) !== JSON_ROW_START) layout3++;
      const newline = text.indexOf('\n', to);
      to = newline === -1 || newline >= end ? end : newline + 1;
    }
    const slice = text.slice(from, to === end ? end : to - 1);
    if (layout3 === 0) {
      const arrays = JSON.parse(`[${slice.replaceAll('\n', ',')}]`) as unknown[][];
      for (let i = 0; i < arrays.length; i++) visit(toSpanRow(arrays[i], traceId));
      rows += arrays.length;
    } else {
      for (const line of slice.split('\n')) {
        if (line.charCodeAt(0) === JSON_ROW_START) visit(toSpanRow(JSON.parse(line) as unknown[], traceId));
        else visit(layout3SpanRow(decodeLayout3Row(line)));
        rows++;
      }
    }
    from = to;
  }
  return rows;
}

/** `[`: a JSON row (layouts 1 and 2); anything else is the base64 of a layout-3 row. */
const JSON_ROW_START = 0x5b;

function layout3SpanRow(rs: ResourceSpans): SpanRow {
  const ss = rs.scopeSpans[0];
  return spanRowOfModel(rs.resource, rs.schemaUrl, ss.scope, ss.schemaUrl, ss.spans[0]);
}

/** All rows (see forEachTraceSpanRow) sorted like a read of `otel_traces`: start time, then span id. */
export async function parseTraceSpanRows(text: string, traceId: string): Promise<SpanRow[]> {
  const rows: SpanRow[] = [];
  await forEachTraceSpanRow(text, traceId, (row) => rows.push(row));
  return sortSpanRows(rows);
}

/** Sorts rows in place by start time, then span id, and returns them. */
export function sortSpanRows(rows: SpanRow[]): SpanRow[] {
  return rows.sort(byStartThenSpanId);
}

function toSpanRow(values: unknown[], traceId: string): SpanRow {
  const read = LAYOUTS.get(values[0] as number);
  if (read === undefined) {
    throw new Error(
      `a stored span has layout version ${String(values[0])}, which this Tracehouse cannot read (upgrade it)`,
    );
  }
  return read(values, traceId);
}

/** Nanosecond starts as decimal strings: a shorter string is an earlier time. */
function byStartThenSpanId(a: SpanRow, b: SpanRow): number {
  if (a.start.length !== b.start.length) return a.start.length - b.start.length;
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  return a.SpanId < b.SpanId ? -1 : a.SpanId > b.SpanId ? 1 : 0;
}
