import type { TracesData } from '../../model/span.js';
import { encodeSpanRows } from './encode-span-rows.js';
import { encodeTraceSpanRows } from './encode-trace-span-rows.js';

/**
 * One batch's rows for the two tables the store writes, each a Native block: `spans` for
 * `otel_traces` (encodeSpanRows), `traceSpans` for the trace-id-ordered copy
 * `tracehouse_trace_spans` (encodeTraceSpanRows, layout 3).
 */
export interface SpanBlocks {
  spans: Buffer;
  traceSpans: Buffer;
}

export function encodeSpanBlocks(data: TracesData): SpanBlocks {
  return { spans: encodeSpanRows(data), traceSpans: encodeTraceSpanRows(data) };
}
