import type { ConsumeContext, TraceRequestBytes, TracesConsumer } from '../consumer/traces-consumer.js';
import type { TracesData } from '../model/span.js';
import { callAsPromise } from '../consumer/call-as-promise.js';
import type { RetryableError } from '../consumer/errors.js';
import { firstRefusal } from '../consumer/first-refusal.js';

/**
 * Hands each batch to several consumers, as the Collector's fan-out does at the end of a
 * pipeline. All must accept for the batch to be accepted; with more than one, each gets its own
 * copy only if it may mutate — exporters here do not, so they share it.
 */
export class FanoutConsumer implements TracesConsumer {
  /** Present only when every consumer takes undecoded requests (TracesConsumer.consumeTraceBytes). */
  readonly consumeTraceBytes?: (request: TraceRequestBytes, context: ConsumeContext) => Promise<void>;

  constructor(private readonly consumers: readonly TracesConsumer[]) {
    if (consumers.every((consumer) => consumer.consumeTraceBytes !== undefined))
      this.consumeTraceBytes = (request, context) => this.fanOutBytes(request, context);
  }

  /** Bytes are never changed by anyone, so every consumer shares the one request. */
  private async fanOutBytes(request: TraceRequestBytes, context: ConsumeContext): Promise<void> {
    await Promise.all(this.consumers.map((consumer) => consumer.consumeTraceBytes!(request, context)));
  }

  /**
   * Not async, and no closure of this scope outlives the call: either would keep `data` reachable
   * until every consumer is done, though consumers let go of it early (StoreExporter).
   */
  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    if (this.consumers.length === 1)
      return callAsPromise(() => this.consumers[0].consumeTraces(data, context));
    const all = callAsPromise(() =>
      Promise.all(this.consumers.map((consumer) => consumer.consumeTraces(data, context))),
    );
    return all.then(toVoid);
  }

  wouldRefuse(context: ConsumeContext): RetryableError | undefined {
    return firstRefusal(this.consumers, context);
  }
}

function toVoid(): void {
  // Promise.all resolves to an array; a consumer resolves to nothing.
}
