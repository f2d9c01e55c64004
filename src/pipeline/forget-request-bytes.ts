import type { RetryableError } from '../consumer/errors.js';
import type { ConsumeContext, TracesConsumer } from '../consumer/traces-consumer.js';
import { forgetRequestBytes } from '../model/request-bytes.js';
import type { TracesData } from '../model/span.js';

/**
 * The head of a pipeline whose processors may change spans: drops the received bytes attached
 * to a batch (model/request-bytes.ts) before the first processor sees it, so no exporter
 * downstream can send bytes that no longer say what the spans do. It offers no
 * `consumeTraceBytes` either: such a pipeline gets decoded requests only.
 */
export class ForgetRequestBytes implements TracesConsumer {
  constructor(private readonly next: TracesConsumer) {}

  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    forgetRequestBytes(data);
    return this.next.consumeTraces(data, context);
  }

  wouldRefuse(context: ConsumeContext): RetryableError | undefined {
    return this.next.wouldRefuse?.(context);
  }
}
