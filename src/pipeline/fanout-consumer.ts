import type { ConsumeContext, TracesConsumer } from '../consumer/traces-consumer.js';
import type { TracesData } from '../model/span.js';

/**
 * Hands each batch to several consumers, as the Collector's fan-out does at the end of a
 * pipeline. All must accept for the batch to be accepted; with more than one, each gets its own
 * copy only if it may mutate — exporters here do not, so they share it.
 */
export class FanoutConsumer implements TracesConsumer {
  constructor(private readonly consumers: readonly TracesConsumer[]) {}

  async consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    if (this.consumers.length === 1) return this.consumers[0].consumeTraces(data, context);
    await Promise.all(this.consumers.map((consumer) => consumer.consumeTraces(data, context)));
  }
}
