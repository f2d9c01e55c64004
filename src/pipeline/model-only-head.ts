import type { RetryableError } from '../consumer/errors.js';
import type { ConsumeContext, TracesConsumer } from '../consumer/traces-consumer.js';
import type { TracesData } from '../model/span.js';

/**
 * The head of a pipeline in which some processor or exporter cannot take undecoded requests
 * (TracesConsumer.consumeTraceBytes): it offers only `consumeTraces`, so receivers decode. Without
 * it a receiver would see the first processor's consumeTraceBytes (batch has one) and skip
 * decoding for, say, a store exporter that needs the spans.
 */
export class ModelOnlyHead implements TracesConsumer {
  constructor(private readonly next: TracesConsumer) {}

  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    return this.next.consumeTraces(data, context);
  }

  wouldRefuse(context: ConsumeContext): RetryableError | undefined {
    return this.next.wouldRefuse?.(context);
  }
}
