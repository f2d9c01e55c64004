import type { ConsumeContext, TraceRequestBytes, TracesConsumer } from '../consumer/traces-consumer.js';
import type { RetryableError } from '../consumer/errors.js';
import { firstRefusal } from '../consumer/first-refusal.js';
import type { TracesData } from '../model/span.js';

/**
 * A receiver used by several pipelines hands each its own copy, as the Collector's fan-out
 * clones data for consumers that mutate: processors edit batches in place, so two pipelines
 * must never share one. The last pipeline takes the original.
 * Undecoded requests (TracesConsumer.consumeTraceBytes) are offered only when every pipeline takes
 * them; they are shared, not copied, as nothing changes bytes.
 */
export class PipelinesFanout implements TracesConsumer {
  readonly consumeTraceBytes?: (request: TraceRequestBytes, context: ConsumeContext) => Promise<void>;

  constructor(private readonly heads: readonly TracesConsumer[]) {
    if (heads.every((head) => head.consumeTraceBytes !== undefined))
      this.consumeTraceBytes = async (request, context) => {
        await Promise.all(this.heads.map((head) => head.consumeTraceBytes!(request, context)));
      };
  }

  async consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    const last = this.heads.length - 1;
    await Promise.all(
      this.heads.map((head, i) => head.consumeTraces(i === last ? data : structuredClone(data), context)),
    );
  }

  wouldRefuse(context: ConsumeContext): RetryableError | undefined {
    return firstRefusal(this.heads, context);
  }
}
