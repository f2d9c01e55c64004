import { RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import { countSpans } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { WalFullError } from '../../wal/wal-errors.js';
import type { TracesExporter } from '../traces-exporter.js';
import type { ExporterHelperConfig } from './exporter-helper-config.js';
import { PersistentQueueStore } from './persistent-queue-store.js';
import { sendWithRetry } from './send-with-retry.js';

/** The transport under an exporter: one attempt, bounded by `timeoutMs`. */
export interface ExportTransport {
  send(data: TracesData, context: ConsumeContext, timeoutMs: number): Promise<void>;
  start(): Promise<void>;
  shutdown(): Promise<void>;
}

interface Item {
  data: TracesData;
  context: ConsumeContext;
  position: number | undefined;
}

/** Bytes a persistent queue may hold on disk. */
const PERSISTENT_QUEUE_MAX_BYTES = 1024 * 1024 * 1024;

/**
 * The Collector's exporterhelper around a transport: `timeout` per attempt, `retry_on_failure`,
 * and `sending_queue` — with the queue on, a batch is acknowledged once queued (persistent: once
 * fsync'ed) and `num_consumers` workers send it; a full queue refuses with a RetryableError, so
 * receivers answer 503/UNAVAILABLE. With the queue off, the caller waits for the send.
 * On shutdown an in-memory queue is drained (one attempt each, retries cut short); a persistent
 * queue keeps what is unsent on disk for the next start.
 */
export class QueuedRetryExporter implements TracesExporter {
  private readonly items: Item[] = [];
  private readonly wakers: (() => void)[] = [];
  private readonly stop = new AbortController();
  private workers: Promise<void>[] = [];
  private store: PersistentQueueStore | undefined;
  private stopping: Promise<void> | undefined;
  private active = 0;

  constructor(
    readonly component: string,
    private readonly transport: ExportTransport,
    private readonly config: ExporterHelperConfig,
    private readonly logger: Logger,
  ) {}

  async start(): Promise<void> {
    await this.transport.start();
    const { queue } = this.config;
    if (!queue.enabled) return;
    if (queue.storage !== undefined) {
      this.store = await PersistentQueueStore.open(queue.storage, PERSISTENT_QUEUE_MAX_BYTES);
      const replayed = await this.store.replay();
      if (replayed.length > 0)
        this.logger.info({ batches: replayed.length }, 'resending batches queued before the restart');
      for (const item of replayed) this.items.push(item);
    }
    this.workers = Array.from({ length: queue.numConsumers }, () => this.work());
  }

  async consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    if (!this.config.queue.enabled) return this.sendRetrying(data, context);
    if (this.stopping) throw new RetryableError(`exporter ${this.component} is shutting down`);
    if (this.items.length + this.active >= this.config.queue.queueSize)
      throw new RetryableError(`sending queue of exporter ${this.component} is full`);
    let position: number | undefined;
    if (this.store) {
      try {
        position = await this.store.append(data, context);
      } catch (error) {
        if (error instanceof WalFullError)
          throw new RetryableError(`persistent queue of ${this.component} is full`);
        throw error;
      }
    }
    this.items.push({ data, context, position });
    this.wakers.shift()?.();
  }

  private sendRetrying(data: TracesData, context: ConsumeContext): Promise<void> {
    return sendWithRetry(
      () => this.transport.send(data, context, this.config.timeoutMs),
      this.config.retry,
      this.stop.signal,
    );
  }

  private async work(): Promise<void> {
    for (;;) {
      const item = this.items.shift();
      if (!item) {
        if (this.stopping) return;
        await new Promise<void>((resolve) => this.wakers.push(resolve));
        continue;
      }
      // A persistent queue stops taking work at shutdown: the rest waits on disk.
      if (this.stopping && this.store) {
        this.items.unshift(item);
        return;
      }
      this.active++;
      try {
        await this.sendRetrying(item.data, item.context);
      } catch (error) {
        // Cut short by shutdown: a persistent queue keeps the batch on disk for the next start.
        if (this.stopping && this.store) continue;
        // The Collector drops a batch when retries are exhausted or the error is permanent, and logs it.
        this.logger.error(
          { err: error, spans: countSpans(item.data) },
          'exporting failed; dropping the batch',
        );
      } finally {
        this.active--;
      }
      if (item.position !== undefined) await this.store?.complete(item.position);
    }
  }

  shutdown(): Promise<void> {
    return (this.stopping ??= (async () => {
      this.stop.abort();
      for (const wake of this.wakers.splice(0)) wake();
      await Promise.all(this.workers);
      await this.store?.close();
      await this.transport.shutdown();
    })());
  }
}
