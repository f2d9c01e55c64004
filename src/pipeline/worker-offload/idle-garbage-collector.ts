import { collectIsolateGarbage, isolateMemoryBytes } from '../../observability/isolate-memory.js';

/** Garbage worth a collection: growth of the isolate's figure since it was last collected. */
const MIN_GROWTH_BYTES = 16 * 1024 * 1024;

/**
 * Collects a processor worker's garbage once the worker has been idle for a whole tick (its memory
 * report interval, processor-worker.ts) and its isolate has grown by MIN_GROWTH_BYTES since the
 * last collection. Why: memory_limiter counts each worker's isolate as it last reported it
 * (observability/isolate-memory.ts), and V8 collects only as a thread allocates. An idle worker
 * went on reporting the garbage of its last requests for ever (80 MiB where it held 13 after ten
 * 9 MiB requests), so a limiter that refused data — which then never reached the workers — could
 * go on refusing it for ever. Only when idle: a busy worker collects as it allocates; and only on
 * growth, so an idle worker is collected once, not at every tick.
 */
export class IdleGarbageCollector {
  private inFlight = 0;
  private busySinceTick = false;
  /** The isolate's figure after its last collection (at first, when the worker got ready). */
  private collectedAt = isolateMemoryBytes();

  requestStarted(): void {
    this.inFlight++;
    this.busySinceTick = true;
  }

  requestEnded(): void {
    this.inFlight--;
  }

  tick(): void {
    const idle = this.inFlight === 0 && !this.busySinceTick;
    this.busySinceTick = false;
    if (!idle || isolateMemoryBytes() - this.collectedAt < MIN_GROWTH_BYTES) return;
    collectIsolateGarbage();
    this.collectedAt = isolateMemoryBytes();
  }
}
