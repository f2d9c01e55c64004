import type { SpanRow } from './span-row-select.js';
import { TRACE_SPANS_LAYOUT_1 } from '../schema/trace-spans-schema.js';

/** The layouts a stored row may have, by the version in its first position. */
const LAYOUTS: ReadonlyMap<number, readonly string[]> = new Map([[1, TRACE_SPANS_LAYOUT_1]]);

/**
 * Rows of `tracehouse_trace_spans.Span`, one JSON array a line (TabSeparatedRaw output: no
 * escaping, and JSON has no raw newlines), as SpanRows sorted like a read of `otel_traces`
 * (start time, then span id). One JSON.parse for the whole answer: a call per line costs more.
 */
export function parseTraceSpanRows(text: string): SpanRow[] {
  const body = text.trimEnd();
  if (body === '') return [];
  const arrays = JSON.parse(`[${body.replaceAll('\n', ',')}]`) as unknown[][];
  const rows = arrays.map(toSpanRow);
  return rows.sort(byStartThenSpanId);
}

function toSpanRow(values: unknown[]): SpanRow {
  const layout = LAYOUTS.get(values[0] as number);
  if (layout === undefined) {
    throw new Error(
      `a stored span has layout version ${String(values[0])}, which this Tracehouse cannot read (upgrade it)`,
    );
  }
  const row: Record<string, unknown> = {};
  for (let i = 0; i < layout.length; i++) row[layout[i]] = values[i + 1];
  return row as unknown as SpanRow;
}

/** Nanosecond starts as decimal strings: a shorter string is an earlier time. */
function byStartThenSpanId(a: SpanRow, b: SpanRow): number {
  if (a.start.length !== b.start.length) return a.start.length - b.start.length;
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  return a.SpanId < b.SpanId ? -1 : a.SpanId > b.SpanId ? 1 : 0;
}
