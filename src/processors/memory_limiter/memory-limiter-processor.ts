import { RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext, TraceRequestBytes, TracesConsumer } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import { collectIsolateGarbage, processIsolatesMemoryBytes } from '../../observability/isolate-memory.js';
import type { TracesData } from '../../model/span.js';
import type { TracesProcessor } from '../../pipeline/component-factory.js';
import type { MemoryLimiterConfig } from './memory-limiter-config.js';

/**
 * The `memory_limiter` processor: every `check_interval` it measures memory; above the soft
 * limit (limit − spike) it refuses data with a RetryableError — receivers turn it into
 * 503/UNAVAILABLE so senders back off — until memory is below the soft limit again. Above the
 * soft limit it also collects the main thread's garbage, as the Collector forces GC, at most every
 * `min_gc_interval_when_soft_limited` (at every check above the hard limit, by default) and
 * measures again: V8 collects only as a thread allocates, and a thread whose senders all backed
 * off allocates nothing, so its garbage would keep it refusing. Processor workers collect their
 * own (pipeline/worker-offload/idle-garbage-collector.ts).
 *
 * Memory is what grows with data held: the V8 heap in use plus Buffers (ArrayBuffers live outside
 * the heap), summed over the process's isolates — the main thread's and each processor worker's
 * (--workers), which the main thread's process.memoryUsage() does not see. Not RSS: it falls only
 * when the allocator gives pages back, long after a collection freed them, so a limiter reading it
 * would go on refusing data the process has room for (observability/isolate-memory.ts).
 */
export class MemoryLimiterProcessor implements TracesProcessor {
  /** Refuses or hands on each batch as it came (the Collector's memory_limiter says the same). */
  readonly mutatesData = false;
  private timer: NodeJS.Timeout | undefined;
  private refusing = false;
  /** When the last forced collection ended (performance.now()); none yet: -Infinity. */
  private collectedAt = -Infinity;
  /** Offered only when the next consumer takes bytes too: they go on as they came, never decoded here. */
  readonly consumeTraceBytes?: (request: TraceRequestBytes, context: ConsumeContext) => Promise<void>;

  constructor(
    private readonly config: MemoryLimiterConfig,
    private readonly next: TracesConsumer,
    private readonly logger: Logger,
    private readonly measure: () => number = processIsolatesMemoryBytes,
    private readonly collect: () => void = collectIsolateGarbage,
  ) {
    const nextBytes = next.consumeTraceBytes?.bind(next);
    if (nextBytes)
      this.consumeTraceBytes = (request, context) =>
        this.refusing ? Promise.reject(softLimitError()) : nextBytes(request, context);
  }

  start(): Promise<void> {
    this.check();
    this.timer = setInterval(() => this.check(), this.config.checkIntervalMs);
    this.timer.unref();
    return Promise.resolve();
  }

  check(): void {
    let used = this.measure();
    const { limitBytes, spikeBytes, minGcIntervalSoftMs, minGcIntervalHardMs } = this.config;
    if (used >= limitBytes - spikeBytes) {
      const minInterval = used >= limitBytes ? minGcIntervalHardMs : minGcIntervalSoftMs;
      if (performance.now() - this.collectedAt >= minInterval) {
        this.collect();
        this.collectedAt = performance.now();
        used = this.measure();
      }
    }
    const refuse = used >= limitBytes - spikeBytes;
    if (refuse !== this.refusing)
      this.logger.warn(
        { usedMiB: Math.round(used / 1048576) },
        refuse ? 'memory above the soft limit: refusing data' : 'memory back below the soft limit',
      );
    this.refusing = refuse;
  }

  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    if (this.refusing) return Promise.reject(softLimitError());
    return this.next.consumeTraces(data, context);
  }

  wouldRefuse(context: ConsumeContext): RetryableError | undefined {
    return this.refusing ? softLimitError() : this.next.wouldRefuse?.(context);
  }

  shutdown(): Promise<void> {
    clearInterval(this.timer);
    return Promise.resolve();
  }
}

function softLimitError(): RetryableError {
  return new RetryableError('memory usage is above the memory_limiter soft limit; retry later', 1000);
}
