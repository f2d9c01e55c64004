import type { InstrumentationScope, Resource, Span } from '../../model/span.js';

/** A span as buffered: with the resource and scope it came under. */
export interface BufferedSpan {
  span: Span;
  resource: Resource;
  scope: InstrumentationScope;
}

/** What a policy sees of a trace: its spans so far and their time extent. */
export interface TraceView {
  traceId: string;
  spans: BufferedSpan[];
  minStart: bigint;
  maxEnd: bigint;
}

/** A policy's verdict, as the Collector's: an inverted "not sampled" overrides every "sampled". */
export type Decision = 'sampled' | 'not_sampled' | 'inverted_not_sampled';

export interface Policy {
  readonly name: string;
  evaluate(trace: TraceView, nowMs: number): Decision;
}
