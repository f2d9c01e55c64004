import type { TracesConsumer } from '../../consumer/traces-consumer.js';
import { RequestRejection } from './request-rejection.js';

/**
 * Throws the rejection the pipeline would give any request of `tenant` now
 * (TracesConsumer.wouldRefuse), so a receiver refuses before it reads or decodes the request:
 * under overload a sender that retries at once then costs its headers, not a decode.
 * Its spans are not counted as refused: nobody knows how many there were.
 */
export function refuseEarly(next: TracesConsumer, tenant: string): void {
  const refusal = next.wouldRefuse?.({ tenant });
  if (refusal !== undefined)
    throw new RequestRejection(
      refusal.throttle ? 'busy' : 'unavailable',
      refusal.message,
      refusal.retryAfterMs,
    );
}
