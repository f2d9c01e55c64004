import type { SpanRow } from './span-row-select.js';

/**
 * What a streaming trace read (`TraceStore.getTraceBuilt`) feeds: every stored row of one trace,
 * in no particular order, then `finish`. A sink that keeps only what it needs from each row (the
 * UI's compact form keeps a few columns) lets the rows die young instead of building the whole
 * OTLP model first.
 */
export interface SpanRowSink<Result> {
  /** The store answered; rows follow. Lets a caller time the query apart from the rest. */
  begin?(): void;
  add(row: SpanRow): void;
  /** Called once, after the last row, only when the trace has rows. */
  finish(): Result;
}
