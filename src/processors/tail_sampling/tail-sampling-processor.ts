import type { ConsumeContext, TracesConsumer } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import type { ResourceSpans, ScopeSpans, TracesData } from '../../model/span.js';
import type { TracesProcessor } from '../../pipeline/component-factory.js';
import type { BufferedSpan, Decision, TraceView } from './sampled-trace.js';
import type { TailSamplingConfig } from './tail-sampling-config.js';

interface PendingTrace extends TraceView {
  firstSeenMs: number;
  context: ConsumeContext;
}

/**
 * The `tail_sampling` processor. Spans are grouped by trace id and held until `decision_wait`
 * after the trace's first span; then the policies decide (any "sampled" keeps it unless a policy
 * says "inverted not sampled") and the trace is sent on whole or dropped. Memory is bounded:
 * at most `num_traces` traces wait (past it the oldest is dropped, as the Collector drops it),
 * and the last `num_traces` decisions are remembered so late spans follow the decision taken.
 *
 * Spans are acknowledged when buffered — a sender cannot wait `decision_wait` — so unlike the
 * batch processor, a crash loses what waits here (as in the Collector).
 */
export class TailSamplingProcessor implements TracesProcessor {
  private readonly pending = new Map<string, PendingTrace>();
  private readonly decided = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;
  private readonly sending = new Set<Promise<void>>();
  /** Counters, for tests and logs. */
  readonly stats = { sampled: 0, notSampled: 0, droppedTooEarly: 0, lateSpans: 0 };

  constructor(
    private readonly config: TailSamplingConfig,
    private readonly next: TracesConsumer,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  start(): Promise<void> {
    const tick = Math.max(5, Math.min(1000, Math.floor(this.config.decisionWaitMs / 4)));
    this.timer = setInterval(() => this.decideDue(), tick);
    this.timer.unref();
    return Promise.resolve();
  }

  get pendingTraces(): number {
    return this.pending.size;
  }

  async consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    const late: BufferedSpan[] = [];
    const now = this.now();
    for (const rs of data)
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans) {
          const entry: BufferedSpan = { span, resource: rs.resource, scope: ss.scope };
          const decision = this.decided.get(span.traceId);
          if (decision !== undefined) {
            this.stats.lateSpans++;
            if (decision) late.push(entry);
            continue;
          }
          let trace = this.pending.get(span.traceId);
          if (!trace) {
            if (this.pending.size >= this.config.numTraces) this.dropOldest();
            trace = {
              traceId: span.traceId,
              spans: [],
              minStart: span.startTimeUnixNano,
              maxEnd: span.endTimeUnixNano,
              firstSeenMs: now,
              context,
            };
            this.pending.set(span.traceId, trace);
          }
          trace.spans.push(entry);
          if (span.startTimeUnixNano < trace.minStart) trace.minStart = span.startTimeUnixNano;
          if (span.endTimeUnixNano > trace.maxEnd) trace.maxEnd = span.endTimeUnixNano;
        }
    if (late.length > 0) await this.next.consumeTraces(regroup(late), context);
  }

  private dropOldest(): void {
    const oldest = this.pending.keys().next();
    if (oldest.done) return;
    this.pending.delete(oldest.value);
    this.stats.droppedTooEarly++;
  }

  /** Decides every trace whose wait is over (all of them when `all`). Map order is arrival order. */
  decideDue(all = false): void {
    const cutoff = this.now() - this.config.decisionWaitMs;
    for (const trace of this.pending.values()) {
      if (!all && trace.firstSeenMs > cutoff) break;
      this.pending.delete(trace.traceId);
      const keep = this.decide(trace) === 'sampled';
      this.remember(trace.traceId, keep);
      if (!keep) {
        this.stats.notSampled++;
        continue;
      }
      this.stats.sampled++;
      const sent = this.next.consumeTraces(regroup(trace.spans), trace.context).catch((error: unknown) => {
        this.logger.error(
          { err: error, traceId: trace.traceId },
          'sending a sampled trace failed; it is dropped',
        );
      });
      this.sending.add(sent);
      void sent.finally(() => this.sending.delete(sent));
    }
  }

  private decide(trace: TraceView): Decision {
    const now = this.now();
    let result: Decision = 'not_sampled';
    for (const policy of this.config.policies) {
      const d = policy.evaluate(trace, now);
      if (d === 'inverted_not_sampled') return d;
      if (d === 'sampled') result = d;
    }
    return result;
  }

  private remember(traceId: string, keep: boolean): void {
    if (this.decided.size >= this.config.numTraces) this.decided.delete(this.decided.keys().next().value!);
    this.decided.set(traceId, keep);
  }

  /** Decides what still waits (the Collector drops it; deciding early loses less) and drains sends. */
  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    this.decideDue(true);
    await Promise.all(this.sending);
  }
}

/** Buffered spans back into OTLP shape, grouping by the resource and scope objects they came with. */
function regroup(spans: readonly BufferedSpan[]): TracesData {
  const byResource = new Map<object, { rs: ResourceSpans; scopes: Map<object, ScopeSpans> }>();
  for (const { span, resource, scope } of spans) {
    let r = byResource.get(resource);
    if (!r) {
      r = { rs: { resource, scopeSpans: [], schemaUrl: '' }, scopes: new Map() };
      byResource.set(resource, r);
    }
    let s = r.scopes.get(scope);
    if (!s) {
      s = { scope, spans: [], schemaUrl: '' };
      r.scopes.set(scope, s);
      r.rs.scopeSpans.push(s);
    }
    s.spans.push(span);
  }
  return [...byResource.values()].map((r) => r.rs);
}
