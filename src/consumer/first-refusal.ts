import type { RetryableError } from './errors.js';
import type { ConsumeContext, TracesConsumer } from './traces-consumer.js';

/**
 * TracesConsumer.wouldRefuse for a hand-off to several consumers that must all accept (a
 * fan-out): the first refusal one of them would give, or undefined.
 */
export function firstRefusal(
  consumers: readonly TracesConsumer[],
  context: ConsumeContext,
): RetryableError | undefined {
  for (const consumer of consumers) {
    const refusal = consumer.wouldRefuse?.(context);
    if (refusal !== undefined) return refusal;
  }
  return undefined;
}
