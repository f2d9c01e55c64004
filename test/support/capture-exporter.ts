import type { ConsumeContext } from '../../src/consumer/traces-consumer.js';
import type { TracesExporter } from '../../src/exporters/traces-exporter.js';
import type { TracesData } from '../../src/model/span.js';
import { countSpans } from '../../src/model/factories.js';

/**
 * Keeps every batch it is given, with its context, and can be made to hold batches (to build up
 * back-pressure) or to fail them — a real exporter seam, used by receiver tests as the sink.
 */
export class CaptureExporter implements TracesExporter {
  readonly component = 'capture';
  readonly batches: { data: TracesData; context: ConsumeContext }[] = [];
  /** When set, each batch waits for this promise before being accepted. */
  hold: Promise<void> | undefined;
  /** When set, each batch is refused with this error. */
  failWith: Error | undefined;
  private waiters: { spans: number; resolve: () => void }[] = [];

  async start(): Promise<void> {}

  async consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    if (this.hold) await this.hold;
    if (this.failWith) throw this.failWith;
    this.batches.push({ data, context });
    const spans = this.spanCount();
    this.waiters = this.waiters.filter((w) => (spans >= w.spans ? (w.resolve(), false) : true));
  }

  spanCount(): number {
    return this.batches.reduce((n, b) => n + countSpans(b.data), 0);
  }

  allData(): TracesData {
    return this.batches.flatMap((b) => b.data);
  }

  /** Resolves once at least `spans` spans have arrived; rejects after `timeoutMs`. */
  waitForSpans(spans: number, timeoutMs = 10_000): Promise<void> {
    if (this.spanCount() >= spans) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`timed out waiting for ${spans} spans; have ${this.spanCount()}`)),
        timeoutMs,
      );
      this.waiters.push({
        spans,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  async shutdown(): Promise<void> {}
}
