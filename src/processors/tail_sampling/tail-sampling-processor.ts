import type { ConsumeContext, TraceRequestBytes, TracesConsumer } from '../../consumer/traces-consumer.js';
import type { KeyValue } from '../../model/attributes.js';
import type { Logger } from '../../logging/logger.js';
import { countSpans } from '../../model/factories.js';
import type { SpanFields } from '../../model/request-bytes.js';
import { attachRequestBytes } from '../../model/request-bytes.js';
import type { ResourceSpans, ScopeSpans, Span, TracesData } from '../../model/span.js';
import { decodeSpanSummaries } from '../../otlp/protobuf/decode-span-summaries.js';
import type { EncodedSpan } from '../../otlp/protobuf/encode-traces.js';
import { encodeExportTraceServiceRequest, encodeSpanFields } from '../../otlp/protobuf/encode-traces.js';
import { DecodeCaches } from '../../otlp/protobuf/proto-reader.js';
import type { TracesProcessor } from '../../pipeline/component-factory.js';
import { HeldSpan, heldSpansAsRequest, heldSpansAsTraces } from './held-span.js';
import { FifoMap } from './fifo-map.js';
import { SpanFieldCursor } from '../../otlp/protobuf/span-field-cursor.js';
import { UnawaitedSends } from './unawaited-sends.js';
import type { Decision, TraceView } from './sampled-trace.js';
import type { TailSamplingConfig } from './tail-sampling-config.js';

/** Kept traces go on in requests of about this many spans (a whole trace is never split). */
const RELEASE_SPANS = 1024;

/** Spans handed on whose sending may be outstanding before requests wait for it: ~64 full batches. */
const MAX_SENDING_SPANS = 131_072;

const NO_ATTRIBUTES: readonly KeyValue[] = Object.freeze([]);
const NO_BYTES = new Uint8Array(0);
const NOT_YET_ENCODED: EncodedSpan = { bytes: NO_BYTES, start: 0, end: 0 };

interface PendingTrace extends TraceView {
  spans: HeldSpan[];
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
  /**
   * It never changes a span, and hands on only batches of its own making (model/request-bytes.ts,
   * rule 3), so received bytes may reach it: it holds spans as views of them, and where what
   * follows takes bytes it takes undecoded requests (consumeTraceBytes).
   */
  readonly mutatesData = false;
  /** Traces waiting for their decision, in arrival order. */
  private readonly pending: FifoMap<PendingTrace>;
  /** The last `num_traces` decisions, for late spans. */
  private readonly decided: FifoMap<boolean>;
  private timer: NodeJS.Timeout | undefined;
  private readonly sends: UnawaitedSends;
  /**
   * Counters, for tests and logs. `viewedSpans`: spans held or handed on as views of their
   * received bytes instead of being encoded (see HeldSpan).
   */
  readonly stats = { sampled: 0, notSampled: 0, droppedTooEarly: 0, lateSpans: 0, viewedSpans: 0 };

  constructor(
    private readonly config: TailSamplingConfig,
    private readonly next: TracesConsumer,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    maxSendingSpans = MAX_SENDING_SPANS,
  ) {
    this.sends = new UnawaitedSends(next, logger, maxSendingSpans);
    this.pending = new FifoMap(config.numTraces);
    this.decided = new FifoMap(config.numTraces);
    this.holdEncoded = next.consumeTraceBytes !== undefined;
    this.policyKeys = new Set(config.policies.flatMap((p) => p.attributeKeys));
    if (this.holdEncoded)
      this.consumeTraceBytes = (request, context) => this.consumeTraces(this.summaries(request), context);
  }

  /**
   * Undecoded requests, where spans wait encoded: they are held as views of these bytes, so only
   * what the policies read is decoded (decodeSpanSummaries), not whole spans — the receiver scans
   * instead of decoding, and a worker segment before this hands on its output undecoded.
   */
  readonly consumeTraceBytes?: (request: TraceRequestBytes, context: ConsumeContext) => Promise<void>;
  private readonly caches = new DecodeCaches();

  /**
   * The request as a batch of span summaries with its bytes and where its spans lie attached, so
   * that consumeTraces holds every span as a view (SpanFieldCursor) and never hands a summary on.
   */
  private summaries(request: TraceRequestBytes): TracesData {
    const data: ResourceSpans[] = [];
    const fields: SpanFields[] = [];
    for (const part of request.parts) {
      const summaries = decodeSpanSummaries(part, this.policyKeys, this.caches);
      for (const rs of summaries.data) data.push(rs);
      fields.push(summaries.spanFields);
    }
    attachRequestBytes(data, request.parts, fields);
    return data;
  }

  /** Whether spans wait encoded (see HeldSpan): where the rest of the pipeline takes bytes. */
  private readonly holdEncoded: boolean;
  /** The attribute keys some policy reads: all a span waiting encoded keeps of its attributes. */
  private readonly policyKeys: ReadonlySet<string>;

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
    // Where the batch still is its received bytes, spans wait (and late ones go on) as views of
    // them rather than encoded again (see HeldSpan).
    const views = this.holdEncoded ? SpanFieldCursor.over(data) : undefined;
    // Late spans of sampled traces go on at once, in their request's resource and scope order.
    // Built here rather than buffered and regrouped: in a steady stream of long traces nearly
    // every span is late, and this spares each one an entry object and two map lookups.
    let late: ResourceSpans[] | undefined;
    // The same as views of the request's bytes, regrouped on release like kept traces.
    let lateViews: HeldSpan[] | undefined;
    // Spans that start waiting, to be encoded together once the request is walked (holdEncoded).
    const toEncode: Span[] = [];
    const encodedAs: HeldSpan[] = [];
    const now = this.now();
    for (const rs of data) {
      let lateResource: ResourceSpans | undefined;
      for (const ss of rs.scopeSpans) {
        let lateScope: ScopeSpans | undefined;
        for (const span of ss.spans) {
          views?.next();
          const decision = this.decided.get(span.traceId);
          if (decision === undefined) {
            const held = this.hold(span, rs, ss, views);
            if (views) this.stats.viewedSpans++;
            else if (this.holdEncoded) {
              toEncode.push(span);
              encodedAs.push(held);
            }
            this.buffer(held, span, context, now);
            continue;
          }
          this.stats.lateSpans++;
          if (!decision) continue;
          if (views) {
            this.stats.viewedSpans++;
            const { bytes, start, end } = views;
            (lateViews ??= []).push(
              new HeldSpan(
                0,
                NO_ATTRIBUTES,
                rs.resource,
                rs.schemaUrl,
                ss.scope,
                ss.schemaUrl,
                undefined,
                bytes,
                start,
                end,
              ),
            );
            continue;
          }
          if (!lateScope) {
            if (!lateResource) {
              lateResource = { resource: rs.resource, scopeSpans: [], schemaUrl: rs.schemaUrl };
              (late ??= []).push(lateResource);
            }
            lateScope = { scope: ss.scope, spans: [], schemaUrl: ss.schemaUrl };
            lateResource.scopeSpans.push(lateScope);
          }
          lateScope.spans.push(span);
        }
      }
    }
    if (toEncode.length > 0) {
      const { bytes, ends } = encodeSpanFields(toEncode);
      let start = 0;
      for (let i = 0; i < encodedAs.length; i++) {
        encodedAs[i].bytes = bytes;
        encodedAs[i].start = start;
        start = encodedAs[i].end = ends[i];
      }
    }
    const lateFailure = 'sending late spans of sampled traces failed; they are dropped';
    if (late) {
      const payload = this.holdEncoded
        ? { parts: [encodeExportTraceServiceRequest(late)], spans: countSpans(late) }
        : late;
      this.sends.send(payload, context, lateFailure);
    }
    if (lateViews) this.sends.send(heldSpansAsRequest(lateViews), context, lateFailure);
    return this.sends.belowCap();
  }

  /**
   * What waits of `span`, with the resource, scope and schema URLs of `rs` and `ss` it came under:
   * itself, or what the policies read and its bytes — those `view` points at in its request, or
   * (no view) bytes it is given once its request is walked (consumeTraces).
   */
  private hold(span: Span, rs: ResourceSpans, ss: ScopeSpans, view: EncodedSpan | undefined): HeldSpan {
    const encoded = this.holdEncoded;
    const { bytes, start, end } = (encoded && view) || NOT_YET_ENCODED;
    return new HeldSpan(
      span.status.code,
      encoded ? this.policyAttributes(span) : span.attributes,
      rs.resource,
      rs.schemaUrl,
      ss.scope,
      ss.schemaUrl,
      encoded ? undefined : span,
      bytes,
      start,
      end,
    );
  }

  /** The span's attributes that some policy reads (a span waiting encoded keeps only those). */
  private policyAttributes(span: Span): readonly KeyValue[] {
    if (this.policyKeys.size === 0) return NO_ATTRIBUTES;
    const kept = span.attributes.filter((kv) => this.policyKeys.has(kv.key));
    return kept.length === 0 ? NO_ATTRIBUTES : kept;
  }

  /** Adds a span to its trace's wait, starting the wait with its first span. */
  private buffer(entry: HeldSpan, span: Span, context: ConsumeContext, now: number): void {
    let trace = this.pending.get(span.traceId);
    if (!trace) {
      if (this.pending.size >= this.config.numTraces) {
        this.pending.shift();
        this.stats.droppedTooEarly++;
      }
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

  /**
   * Decides every trace whose wait is over (all of them when `all`), oldest first.
   * Kept traces go on together, per tenant, in requests of about RELEASE_SPANS spans: one per
   * trace cost a send, a promise and a write of its own for every ~8 spans.
   */
  decideDue(all = false): void {
    const cutoff = this.now() - this.config.decisionWaitMs;
    const kept = new Map<string, { context: ConsumeContext; spans: HeldSpan[] }>();
    for (let trace = this.pending.oldest(); trace !== undefined; trace = this.pending.oldest()) {
      if (!all && trace.firstSeenMs > cutoff) break;
      this.pending.shift();
      const keep = this.decide(trace) === 'sampled';
      this.decided.set(trace.traceId, keep);
      if (!keep) {
        this.stats.notSampled++;
        continue;
      }
      this.stats.sampled++;
      let release = kept.get(trace.context.tenant);
      if (!release) kept.set(trace.context.tenant, (release = { context: trace.context, spans: [] }));
      for (const held of trace.spans) release.spans.push(held);
      if (release.spans.length >= RELEASE_SPANS) {
        this.releaseKept(release.spans, release.context);
        release.spans = [];
      }
    }
    for (const { spans, context } of kept.values()) if (spans.length > 0) this.releaseKept(spans, context);
  }

  /**
   * Hands kept traces on. Encoded where the rest of the pipeline takes bytes: so the spans die
   * young instead of waiting in the batch processor long enough to reach V8's old generation.
   */
  private releaseKept(spans: HeldSpan[], context: ConsumeContext): void {
    const payload = this.holdEncoded ? heldSpansAsRequest(spans) : heldSpansAsTraces(spans);
    this.sends.send(payload, context, 'sending sampled traces failed; they are dropped');
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

  /** Decides what still waits (the Collector drops it; deciding early loses less) and drains sends. */
  async shutdown(): Promise<void> {
    clearInterval(this.timer);
    this.decideDue(true);
    await this.sends.drain();
  }
}
