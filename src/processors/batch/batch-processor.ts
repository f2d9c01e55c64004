import type { ConsumeContext, TracesConsumer } from '../../consumer/traces-consumer.js';
import { countSpans } from '../../model/factories.js';
import { attachRequestBytes, requestBytesOf } from '../../model/request-bytes.js';
import type { TracesData } from '../../model/span.js';
import type { TracesProcessor } from '../../pipeline/component-factory.js';
import type { BatchConfig } from './batch-config.js';
import { splitTraces } from './split-traces.js';

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

interface Pending {
  data: TracesData;
  /** The received bytes of every request in `data`, in order; undefined once one had none. */
  bytes: Buffer[] | undefined;
  spans: number;
  context: ConsumeContext;
  waiters: Waiter[];
  timer: NodeJS.Timeout | undefined;
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
 */
export class BatchProcessor implements TracesProcessor {
  /** Regroups spans, never changes them; joins the requests' bytes for pass-through (see flush). */
  readonly mutatesData = false;
  private readonly pending = new Map<string, Pending>();
  private readonly sending = new Set<Promise<void>>();

  constructor(
    private readonly config: BatchConfig,
    private readonly next: TracesConsumer,
  ) {}

  async start(): Promise<void> {}

  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let batch = this.pending.get(context.tenant);
      if (!batch) {
        batch = { data: [], bytes: [], spans: 0, context, waiters: [], timer: undefined };
        this.pending.set(context.tenant, batch);
      }
      for (const rs of data) batch.data.push(rs);
      const parts = requestBytesOf(data);
      if (parts === undefined) batch.bytes = undefined;
      else batch.bytes?.push(...parts);
      batch.spans += countSpans(data);
      batch.waiters.push({ resolve, reject });
      if (batch.spans >= this.config.sendBatchSize || this.config.timeoutMs === 0) this.flush(context.tenant);
      else batch.timer ??= setTimeout(() => this.flush(context.tenant), this.config.timeoutMs);
    });
  }

  private flush(tenant: string): void {
    const batch = this.pending.get(tenant);
    if (!batch) return;
    this.pending.delete(tenant);
    clearTimeout(batch.timer);
    const max = this.config.sendBatchMaxSize;
    const parts = max > 0 && batch.spans > max ? splitTraces(batch.data, max) : [batch.data];
    // Unsplit, the batch is its requests' resource spans in arrival order, and so are their bytes
    // concatenated (model/request-bytes.ts). Split parts are encoded afresh.
    if (parts.length === 1 && batch.bytes !== undefined) attachRequestBytes(batch.data, batch.bytes);
    const sent = Promise.all(parts.map((part) => this.next.consumeTraces(part, batch.context))).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (error: unknown) => batch.waiters.forEach((w) => w.reject(error)),
    );
    this.sending.add(sent);
    void sent.finally(() => this.sending.delete(sent));
  }

  /** Sends what is waiting and waits for every batch in flight (the Collector flushes on shutdown too). */
  async shutdown(): Promise<void> {
    for (const tenant of [...this.pending.keys()]) this.flush(tenant);
    await Promise.all(this.sending);
  }
}
