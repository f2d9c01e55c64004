import type { KeyValue } from '../../model/attributes.js';
import type { Resource } from '../../model/span.js';

/** What policies read of a buffered span: kept small, as every span waits `decision_wait`. */
export interface PolicySpan {
  readonly statusCode: number;
  /** The span's attributes — only those some policy reads when the span waits encoded. */
  readonly attributes: readonly KeyValue[];
  readonly resource: Resource;
}

/** What a policy sees of a trace: its spans so far and their time extent. */
export interface TraceView {
  traceId: string;
  spans: PolicySpan[];
  minStart: bigint;
  maxEnd: bigint;
}

/** A policy's verdict, as the Collector's: an inverted "not sampled" overrides every "sampled". */
export type Decision = 'sampled' | 'not_sampled' | 'inverted_not_sampled';

export interface Policy {
  readonly name: string;
  /** The attribute keys it reads (its sub-policies' too): all a span waiting encoded keeps of its attributes. */
  readonly attributeKeys: readonly string[];
  evaluate(trace: TraceView, nowMs: number): Decision;
}
