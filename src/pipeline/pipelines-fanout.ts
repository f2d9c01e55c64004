import type { ConsumeContext, TracesConsumer } from '../consumer/traces-consumer.js';
import type { TracesData } from '../model/span.js';

/**
 * A receiver used by several pipelines hands each its own copy, as the Collector's fan-out
 * clones data for consumers that mutate: processors edit batches in place, so two pipelines
 * must never share one. The last pipeline takes the original.
 */
export class PipelinesFanout implements TracesConsumer {
  constructor(private readonly heads: readonly TracesConsumer[]) {}

  async consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    const last = this.heads.length - 1;
    await Promise.all(
      this.heads.map((head, i) => head.consumeTraces(i === last ? data : structuredClone(data), context)),
    );
  }
}
