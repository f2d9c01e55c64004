import type { ConsumeContext, TraceRequestBytes, TracesConsumer } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import { countSpans } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';

/**
 * What tail_sampling hands on — kept traces, late spans — without the request that brought them
 * waiting for it: a failure is logged, not returned (the Collector logs "Error sending late arrived
 * spans to destination" and accepts the request). Nothing waiting on the sends, a next consumer
 * slower than the inflow would let them pile up without bound: `belowCap` makes a request wait
 * while more than `maxSpans` spans are handed on and unsettled (receivers then push back).
 */
export class UnawaitedSends {
  private readonly sending = new Set<Promise<void>>();
  /** Spans handed on and not yet settled downstream. */
  private spans = 0;

  constructor(
    private readonly next: TracesConsumer,
    private readonly logger: Logger,
    private readonly maxSpans: number,
  ) {}

  /** Hands `payload` on; a failure is logged with `failure`. Bytes only to a next that takes them. */
  send(payload: TracesData | TraceRequestBytes, context: ConsumeContext, failure: string): void {
    const isModels = Array.isArray(payload);
    const spans = isModels ? countSpans(payload) : payload.spans;
    this.spans += spans;
    let sending: Promise<void>;
    // A next consumer that throws instead of rejecting is a failure like any: from the decision
    // timer, the throw would end the process.
    try {
      sending = isModels
        ? this.next.consumeTraces(payload, context)
        : this.next.consumeTraceBytes!(payload, context);
    } catch (error) {
      sending = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    const sent = sending
      .catch((error: unknown) => {
        this.logger.error({ err: error }, failure);
      })
      .finally(() => {
        this.spans -= spans;
        this.sending.delete(sent);
      });
    this.sending.add(sent);
  }

  /** Settles when at most `maxSpans` spans are handed on and unsettled. */
  belowCap(): Promise<void> {
    return this.spans > this.maxSpans ? this.waitBelowCap() : Promise.resolve();
  }

  private async waitBelowCap(): Promise<void> {
    while (this.spans > this.maxSpans && this.sending.size > 0) await Promise.race(this.sending);
  }

  /** Settles when everything handed on so far has settled. */
  async drain(): Promise<void> {
    await Promise.all(this.sending);
  }
}
