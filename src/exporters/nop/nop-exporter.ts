import type { TraceRequestBytes } from '../../consumer/traces-consumer.js';
import type { TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
import type { TracesExporter } from '../traces-exporter.js';

/** Accepts and discards everything, counting spans: the sink for ingest benchmarks (the Collector's `nop`). */
export class NopExporter implements TracesExporter {
  readonly component = 'nop';
  spans = 0;
  batches = 0;

  async start(): Promise<void> {}

  consumeTraces(data: TracesData): Promise<void> {
    this.spans += countSpans(data);
    this.batches++;
    return Promise.resolve();
  }

  /** Counts the spans the receiver's scan found: a sink behind a receiver still validates every request. */
  consumeTraceBytes(request: TraceRequestBytes): Promise<void> {
    this.spans += request.spans;
    this.batches++;
    return Promise.resolve();
  }

  async shutdown(): Promise<void> {}
}
