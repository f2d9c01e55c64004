import type { ConsumeContext, TracesConsumer } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import { countSpans } from '../../model/factories.js';
import type { ResourceSpans, ScopeSpans, TracesData } from '../../model/span.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import type { TracesProcessor } from '../../pipeline/component-factory.js';
import type { BufferedSpan, Decision, TraceView } from './sampled-trace.js';
import type { TailSamplingConfig } from './tail-sampling-config.js';

/** Spans handed on whose sending may be outstanding before requests wait for it: ~64 full batches. */
const MAX_SENDING_SPANS = 131_072;

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
 * batch processor, a crash loses what waits here (as in the Collector). Late spans of a sampled
 * trace are acknowledged when handed on, like a released trace, and a failure to send them is
 * logged, not returned: the Collector logs "Error sending late arrived spans to destination" and
 * accepts the request. Waiting for them would hold each request until the batch processor's
 * batch is full or times out and the exporter has sent it — in a steady stream of long traces,
 * nearly every request, for ~100 ms (the collector benchmark's processors row sat idle on it).
 */
export class TailSamplingProcessor implements TracesProcessor {
  private readonly pending = new Map<string, PendingTrace>();
  private readonly decided = new Map<string, boolean>();
  private timer: NodeJS.Timeout | undefined;
  private readonly sending = new Set<Promise<void>>();
  /** Spans handed on and not yet settled downstream (see consumeTraces). */
  private sendingSpans = 0;
  /** Counters, for tests and logs. */
  readonly stats = { sampled: 0, notSampled: 0, droppedTooEarly: 0, lateSpans: 0 };

  constructor(
    private readonly config: TailSamplingConfig,
    private readonly next: TracesConsumer,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly maxSendingSpans = MAX_SENDING_SPANS,
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

  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    // Late spans of sampled traces go on at once, in their request's resource and scope order.
    // Built here rather than buffered and regrouped: in a steady stream of long traces nearly
    // every span is late, and this spares each one an entry object and two map lookups.
    let late: ResourceSpans[] | undefined;
    const now = this.now();
    for (const rs of data) {
      let lateResource: ResourceSpans | undefined;
      for (const ss of rs.scopeSpans) {
        let lateScope: ScopeSpans | undefined;
        for (const span of ss.spans) {
          const decision = this.decided.get(span.traceId);
          if (decision === undefined) {
            this.buffer({ span, resource: rs.resource, scope: ss.scope }, context, now);
            continue;
          }
          this.stats.lateSpans++;
          if (!decision) continue;
          if (!lateScope) {
            if (!lateResource) {
              lateResource = { resource: rs.resource, scopeSpans: [], schemaUrl: '' };
              (late ??= []).push(lateResource);
            }
            lateScope = { scope: ss.scope, spans: [], schemaUrl: '' };
            lateResource.scopeSpans.push(lateScope);
          }
          lateScope.spans.push(span);
        }
      }
    }
    if (late) this.release(late, context, 'sending late spans of sampled traces failed; they are dropped');
    // Nothing waits on what is handed on, so a next consumer slower than the inflow would let it
    // pile up here without bound: past the cap, the request waits (receivers push back instead).
    return this.sendingSpans > this.maxSendingSpans ? this.sendsBelowCap() : Promise.resolve();
  }

  private async sendsBelowCap(): Promise<void> {
    while (this.sendingSpans > this.maxSendingSpans && this.sending.size > 0)
      await Promise.race(this.sending);
  }

  /** Adds a span to its trace's wait, starting the wait with its first span. */
  private buffer(entry: BufferedSpan, context: ConsumeContext, now: number): void {
    const span = entry.span;
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
      this.release(
        regroup(trace.spans),
        trace.context,
        'sending a sampled trace failed; it is dropped',
        trace.traceId,
      );
    }
  }

  /** Hands `data` on without waiting for it (shutdown does); a failure is logged with `failure`. */
  private release(data: TracesData, context: ConsumeContext, failure: string, traceId?: string): void {
    const spans = countSpans(data);
    this.sendingSpans += spans;
    const sent = this.send(data, spans, context)
      .catch((error: unknown) => {
        this.logger.error({ err: error, traceId }, failure);
      })
      .finally(() => {
        this.sendingSpans -= spans;
        this.sending.delete(sent);
      });
    this.sending.add(sent);
  }

  /**
   * Where the rest of the pipeline takes undecoded requests (batch into OTLP exporters), `data`
   * goes on encoded — the encoding an exporter would make of it later. The spans then die young
   * instead of waiting in the batch processor long enough to be promoted to V8's old generation:
   * about half the garbage collector's time in the collector benchmark's processors row.
   */
  private async send(data: TracesData, spans: number, context: ConsumeContext): Promise<void> {
    if (!this.next.consumeTraceBytes) return this.next.consumeTraces(data, context);
    const request = { parts: [encodeExportTraceServiceRequest(data)], spans };
    return this.next.consumeTraceBytes(request, context);
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
