import type { TracesData } from '../../model/span.js';

export interface TreeRenderOptions {
  /** Characters for the duration bar column. */
  barWidth: number;
  /** Colour the bars per service (ANSI), as a terminal shows them. */
  color: boolean;
}

interface Row {
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
  start: bigint;
  end: bigint;
  error: boolean;
}

const COLORS = [36, 33, 35, 32, 34, 31, 96, 93];

/**
 * A trace as an indented tree, one line per span: the bar shows where in the trace the span ran
 * (like a waterfall), then duration, service and name. Spans whose parent is not in the trace are
 * shown as roots and marked, so a partial trace reads honestly; children are ordered by start.
 */
export function renderTraceTree(trace: TracesData, options: TreeRenderOptions): string {
  const rows: Row[] = [];
  for (const rs of trace) {
    const service = rs.resource.attributes.find((a) => a.key === 'service.name')?.value;
    for (const ss of rs.scopeSpans) {
      for (const span of ss.spans) {
        rows.push({
          spanId: span.spanId,
          parentSpanId: span.parentSpanId,
          name: span.name,
          service: typeof service === 'string' ? service : '?',
          start: span.startTimeUnixNano,
          end: span.endTimeUnixNano,
          error: span.status.code === 2,
        });
      }
    }
  }
  if (rows.length === 0) return '(no spans)\n';
  const ids = new Set(rows.map((r) => r.spanId));
  const children = new Map<string, Row[]>();
  const roots: Row[] = [];
  for (const row of rows) {
    if (row.parentSpanId !== '' && ids.has(row.parentSpanId) && row.parentSpanId !== row.spanId) {
      const list = children.get(row.parentSpanId) ?? [];
      list.push(row);
      children.set(row.parentSpanId, list);
    } else roots.push(row);
  }
  const byStart = (a: Row, b: Row) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0);
  const traceStart = rows.reduce((m, r) => (r.start < m ? r.start : m), rows[0].start);
  const traceEnd = rows.reduce((m, r) => (r.end > m ? r.end : m), rows[0].end);
  const total = traceEnd > traceStart ? traceEnd - traceStart : 1n;
  const services = [...new Set(rows.map((r) => r.service))];
  const lines: string[] = [];
  const seen = new Set<string>();
  const visit = (row: Row, depth: number) => {
    // A cycle in hostile data must not recurse forever.
    if (seen.has(row.spanId)) return;
    seen.add(row.spanId);
    const from = Number(((row.start - traceStart) * BigInt(options.barWidth)) / total);
    const to = Math.max(from + 1, Number(((row.end - traceStart) * BigInt(options.barWidth)) / total));
    let bar = ' '.repeat(from) + '█'.repeat(Math.min(to, options.barWidth) - from);
    bar = bar.padEnd(options.barWidth);
    if (options.color) bar = `\x1b[${COLORS[services.indexOf(row.service) % COLORS.length]}m${bar}\x1b[0m`;
    const orphan = row.parentSpanId !== '' && !ids.has(row.parentSpanId) ? ' (parent not received)' : '';
    const error = row.error ? ' ✗' : '';
    lines.push(
      `${bar} ${formatDuration(row.end - row.start).padStart(9)}  ${'  '.repeat(depth)}${row.service}: ${row.name}${error}${orphan}`,
    );
    for (const child of (children.get(row.spanId) ?? []).sort(byStart)) visit(child, depth + 1);
  };
  for (const root of roots.sort(byStart)) visit(root, 0);
  const header = `trace ${rows[0] ? traceIdOf(trace) : ''}  ${rows.length} spans  ${services.length} services  ${formatDuration(traceEnd - traceStart)}`;
  return `${header}\n${lines.join('\n')}\n`;
}

function traceIdOf(trace: TracesData): string {
  return trace[0]?.scopeSpans[0]?.spans[0]?.traceId ?? '';
}

/** 1234567n ns → "1.23ms"; whole units past a second. */
export function formatDuration(nanos: bigint): string {
  const n = Number(nanos);
  if (n < 1_000) return `${n}ns`;
  if (n < 1_000_000) return `${(n / 1_000).toFixed(2)}µs`;
  if (n < 1_000_000_000) return `${(n / 1_000_000).toFixed(2)}ms`;
  return `${(n / 1_000_000_000).toFixed(2)}s`;
}
