import type { ScopeColumns, SpanColumns } from './span-column-select.js';
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
  /**
   * Rows as Native columns: a sink that has this is fed from the columnar spans table this way
   * (much less work a row than `add`); rows found elsewhere still come through `add`.
   */
  addColumns?(block: SpanColumns): void;
  /** With addColumns: the resources and scopes of the span blocks, fed before them. */
  addScopeColumns?(block: ScopeColumns): void;
  /** Called once, after the last row, only when the trace has rows. */
  finish(): Result;
}
