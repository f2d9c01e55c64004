import { valueText } from './otlp-json';
import type { Trace } from './trace-model';

/**
 * Spans matching a find-in-trace text (case-insensitive): in the name, the service, the span id,
 * or any span attribute's key or value. Returned in the order given (the waterfall's row order).
 */
export function findSpans(trace: Trace, order: readonly number[], text: string): number[] {
  const needle = text.trim().toLowerCase();
  if (needle === '') return [];
  const out: number[] = [];
  for (const i of order) {
    const span = trace.spans[i];
    if (
      span.name.toLowerCase().includes(needle) ||
      span.service.toLowerCase().includes(needle) ||
      span.spanId.startsWith(needle) ||
      span.attributes.some(
        (kv) =>
          (kv.key ?? '').toLowerCase().includes(needle) || valueText(kv.value).toLowerCase().includes(needle),
      )
    )
      out.push(i);
  }
  return out;
}
