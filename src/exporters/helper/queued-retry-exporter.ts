import { RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext, TraceRequestBytes } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import { countSpans } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { decodeTraceRequestBytes } from '../../otlp/protobuf/decode-trace-request-bytes.js';
import { WalFullError } from '../../wal/wal-errors.js';
import type { TracesExporter } from '../traces-exporter.js';
import type { ExporterHelperConfig } from './exporter-helper-config.js';
import { PersistentQueueStore } from './persistent-queue-store.js';
import { sendWithRetry } from './send-with-retry.js';

/** The transport under an exporter: one attempt, bounded by `timeoutMs`. */
export interface ExportTransport {
  send(data: TracesData, context: ConsumeContext, timeoutMs: number): Promise<void>;
  /**
   * Sends `parts`, which concatenated are an encoded ExportTraceServiceRequest, as they are —
   * parts rather than one Buffer so that a transport able to write them one after the other
   * need not copy a batch's requests into one. Absent where the wire format is not that
   * protobuf (otlphttp's JSON): the exporter then takes no undecoded requests.
   */
  sendRequest?(parts: readonly Buffer[], context: ConsumeContext, timeoutMs: number): Promise<void>;
  start(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * What the queue holds and the transport sends: a decoded batch, or the bytes of requests never
 * decoded (consumeTraceBytes), in order, with the span count their scan found. Two kinds rather than
 * a model standing in for bytes, so nothing can read an undecoded batch as an empty one.
 */
export type ExportPayload =
  | { readonly kind: 'model'; readonly data: TracesData }
  | { readonly kind: 'bytes'; readonly parts: readonly Buffer[]; readonly spans: number };

interface Item {
  payload: ExportPayload;
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
  /** Offered when the transport can send encoded requests as they are (TracesConsumer.consumeTraceBytes). */
  readonly consumeTraceBytes?: (request: TraceRequestBytes, context: ConsumeContext) => Promise<void>;
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
  ) {
    if (transport.sendRequest !== undefined)
      this.consumeTraceBytes = ({ parts, spans }, context) =>
        this.consume({ kind: 'bytes', parts, spans }, context);
  }

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

  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    return this.consume({ kind: 'model', data }, context);
  }

  private async consume(payload: ExportPayload, context: ConsumeContext): Promise<void> {
    if (!this.config.queue.enabled) return this.sendRetrying(payload, context);
    const refusal = this.wouldRefuse();
    if (refusal) throw refusal;
    let position: number | undefined;
    if (this.store) {
      try {
        position = await this.store.append(payload, context);
      } catch (error) {
        if (error instanceof WalFullError)
          throw new RetryableError(`persistent queue of ${this.component} is full`);
        throw error;
      }
    }
    this.items.push({ payload, context, position });
    this.wakers.shift()?.();
  }

  /** With the queue on, a caller is refused when it is full or stopping; without it, only a send fails. */
  wouldRefuse(): RetryableError | undefined {
    if (!this.config.queue.enabled) return undefined;
    if (this.stopping) return new RetryableError(`exporter ${this.component} is shutting down`);
    if (this.items.length + this.active >= this.config.queue.queueSize)
      return new RetryableError(`sending queue of exporter ${this.component} is full`);
    return undefined;
  }

  private sendRetrying(payload: ExportPayload, context: ConsumeContext): Promise<void> {
    return sendWithRetry(() => this.sendOnce(payload, context), this.config.retry, this.stop.signal);
  }

  private sendOnce(payload: ExportPayload, context: ConsumeContext): Promise<void> {
    const { transport } = this;
    const timeoutMs = this.config.timeoutMs;
    if (payload.kind === 'model') return transport.send(payload.data, context, timeoutMs);
    if (transport.sendRequest) return transport.sendRequest(payload.parts, context, timeoutMs);
    // Not reached (consumeTraceBytes exists only with sendRequest), but never send an undecoded batch as nothing.
    return transport.send(decodeTraceRequestBytes(payload.parts), context, timeoutMs);
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
        await this.sendRetrying(item.payload, item.context);
      } catch (error) {
        // Cut short by shutdown: a persistent queue keeps the batch on disk for the next start.
        if (this.stopping && this.store) continue;
        // The Collector drops a batch when retries are exhausted or the error is permanent, and logs it.
        this.logger.error(
          { err: error, spans: spansOf(item.payload) },
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

function spansOf(payload: ExportPayload): number {
  return payload.kind === 'model' ? countSpans(payload.data) : payload.spans;
}
