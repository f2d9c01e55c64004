import type { RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext, TraceRequestBytes, TracesConsumer } from '../../consumer/traces-consumer.js';
import { countSpans } from '../../model/factories.js';
import type { SpanFields } from '../../model/request-bytes.js';
import { attachRequestBytes, requestBytesOf, spanFieldsOf } from '../../model/request-bytes.js';
import type { TracesData } from '../../model/span.js';
import { decodeTraceRequestBytes } from '../../otlp/protobuf/decode-trace-request-bytes.js';
import type { TracesProcessor } from '../../pipeline/component-factory.js';
import type { BatchConfig } from './batch-config.js';
import { splitTraces } from './split-traces.js';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

/** What both kinds of batch keep while they gather. */
interface Gathering {
  spans: number;
  context: ConsumeContext;
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
}

interface Pending extends Gathering {
  data: TracesData;
  /** The received bytes of every request in `data`, in order; undefined once one had none. */
  bytes: Buffer[] | undefined;
  /** Where the spans lie in `bytes`, one entry a part; undefined once a part came without. */
  spanFields: SpanFields[] | undefined;
}

/** A batch of undecoded requests (consumeTraceBytes): their bytes in arrival order. */
interface PendingBytes extends Gathering {
  parts: Buffer[];
}

/**
 * The `batch` processor: gathers spans until `send_batch_size` or `timeout`, splitting at
 * `send_batch_max_size`. Batches are kept per tenant, as the Collector keeps them per
 * `metadata_keys` value, so one tenant's spans never travel under another's context.
 *
 * One deliberate difference: the Collector acknowledges a request as soon as it is queued here;
 * Tracehouse's callers wait until the batch holding their spans is accepted downstream. So the
 * store's promise — acknowledged means in the write-ahead log — still holds through a batch
 * processor, and a downstream RetryableError still reaches the sender, at the cost of up to
 * `timeout` of latency per request.
 *
 * Undecoded requests (consumeTraceBytes) gather in batches of their own, per tenant too, counted
 * by the spans the receiver's scan found, and leave as bytes — unless the batch must be split at
 * `send_batch_max_size`, which needs its spans: then it is decoded and goes on as models. They are
 * offered only when the next consumer takes bytes too, so that a consumer upstream that finds
 * `consumeTraceBytes` here knows the bytes go on undecoded (tail_sampling relies on it).
 */
export class BatchProcessor implements TracesProcessor {
  /** Regroups spans, never changes them; joins the requests' bytes for pass-through (see flush). */
  readonly mutatesData = false;
  private readonly pending = new Map<string, Pending>();
  private readonly pendingBytes = new Map<string, PendingBytes>();
  private readonly sending = new Set<Promise<void>>();
  readonly consumeTraceBytes?: (request: TraceRequestBytes, context: ConsumeContext) => Promise<void>;

  constructor(
    private readonly config: BatchConfig,
    private readonly next: TracesConsumer,
  ) {
    if (next.consumeTraceBytes)
      this.consumeTraceBytes = (request, context) => this.gatherBytes(request, context);
  }

  async start(): Promise<void> {}

  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    return this.gather(
      this.pending,
      context,
      () => ({ data: [], bytes: [], spanFields: [], spans: 0, context, waiters: [], timer: undefined }),
      (batch) => {
        for (const rs of data) batch.data.push(rs);
        const parts = requestBytesOf(data);
        const fields = parts && spanFieldsOf(data);
        if (parts === undefined) batch.bytes = undefined;
        else batch.bytes?.push(...parts);
        if (fields === undefined) batch.spanFields = undefined;
        else batch.spanFields?.push(...fields);
        batch.spans += countSpans(data);
      },
      (tenant) => this.flush(tenant),
    );
  }

  private gatherBytes(request: TraceRequestBytes, context: ConsumeContext): Promise<void> {
    return this.gather(
      this.pendingBytes,
      context,
      () => ({ parts: [], spans: 0, context, waiters: [], timer: undefined }),
      (batch) => {
        for (const part of request.parts) batch.parts.push(part);
        batch.spans += request.spans;
      },
      (tenant) => this.flushBytes(tenant),
    );
  }

  /** Adds to the tenant's batch in `batches`; settles when the batch holding it is sent on. */
  private gather<B extends Gathering>(
    batches: Map<string, B>,
    context: ConsumeContext,
    create: () => B,
    add: (batch: B) => void,
    flush: (tenant: string) => void,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let batch = batches.get(context.tenant);
      if (!batch) batches.set(context.tenant, (batch = create()));
      add(batch);
      batch.waiters.push({ resolve, reject });
      if (batch.spans >= this.config.sendBatchSize || this.config.timeoutMs === 0) flush(context.tenant);
      else batch.timer ??= setTimeout(() => flush(context.tenant), this.config.timeoutMs);
    });
  }

  /** Takes the tenant's batch out of `batches`, its timer stopped. */
  private take<B extends Gathering>(batches: Map<string, B>, tenant: string): B | undefined {
    const batch = batches.get(tenant);
    if (!batch) return undefined;
    batches.delete(tenant);
    clearTimeout(batch.timer);
    return batch;
  }

  private flush(tenant: string): void {
    const batch = this.take(this.pending, tenant);
    if (batch) this.track(this.send(batch), batch.waiters);
  }

  /**
   * Async, so that whatever throws on the way (a next consumer throwing instead of rejecting)
   * refuses the batch to its callers: thrown from the timeout's timer, it would end the process.
   */
  private async send(batch: Pending): Promise<void> {
    const max = this.config.sendBatchMaxSize;
    const parts = max > 0 && batch.spans > max ? splitTraces(batch.data, max) : [batch.data];
    // Unsplit, the batch is its requests' resource spans in arrival order, and so are their bytes
    // concatenated (model/request-bytes.ts), and so are where their spans lie in them (for a
    // tail_sampling after it). Split parts are encoded afresh.
    if (parts.length === 1 && batch.bytes !== undefined)
      attachRequestBytes(batch.data, batch.bytes, batch.spanFields);
    await Promise.all(parts.map((part) => this.next.consumeTraces(part, batch.context)));
  }

  private flushBytes(tenant: string): void {
    const batch = this.take(this.pendingBytes, tenant);
    if (!batch) return;
    this.track(this.sendBytes(batch), batch.waiters);
  }

  private async sendBytes({ parts, spans, context }: PendingBytes): Promise<void> {
    const max = this.config.sendBatchMaxSize;
    const split = max > 0 && spans > max;
    // Only the split needs spans (bytes are offered only to a next consumer that takes them).
    if (!split && this.next.consumeTraceBytes) return this.next.consumeTraceBytes({ parts, spans }, context);
    const data = decodeTraceRequestBytes(parts);
    await Promise.all(
      (split ? splitTraces(data, max) : [data]).map((part) => this.next.consumeTraces(part, context)),
    );
  }

  /** Settles a batch's callers with its send, which shutdown waits for. */
  private track(sending: Promise<unknown>, waiters: readonly Waiter[]): void {
    const sent = sending.then(
      () => waiters.forEach((w) => w.resolve()),
      (error: unknown) => waiters.forEach((w) => w.reject(error)),
    );
    this.sending.add(sent);
    void sent.finally(() => this.sending.delete(sent));
  }

  /** Sends what is waiting and waits for every batch in flight (the Collector flushes on shutdown too). */
  /** A batch waits for its next consumer and passes its refusal back, so it refuses what that one would. */
  wouldRefuse(context: ConsumeContext): RetryableError | undefined {
    return this.next.wouldRefuse?.(context);
  }

  async shutdown(): Promise<void> {
    for (const tenant of [...this.pending.keys()]) this.flush(tenant);
    for (const tenant of [...this.pendingBytes.keys()]) this.flushBytes(tenant);
    await Promise.all(this.sending);
  }
}
