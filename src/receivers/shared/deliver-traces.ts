import { PermanentError, RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext, TracesConsumer } from '../../consumer/traces-consumer.js';
import type { TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
import { removeInvalidSpans } from '../../model/validate-spans.js';
import type { PartialSuccess } from '../../otlp/protobuf/trace-service-response.js';
import { RequestRejection } from './request-rejection.js';

/**
 * The part of handling an export request that every receiver shares: drop spans that cannot be
 * stored (reported as OTLP partial success), hand the rest on, and turn a downstream refusal
 * into the rejection the protocol expresses.
 */
export async function deliverTraces(
  data: TracesData,
  next: TracesConsumer,
  context: ConsumeContext,
): Promise<PartialSuccess | undefined> {
  const { rejectedSpans, errorMessage } = removeInvalidSpans(data);
  if (countSpans(data) > 0) {
    try {
      await next.consumeTraces(data, context);
    } catch (error) {
      throw toRejection(error);
    }
  }
  return rejectedSpans > 0 ? { rejectedSpans, errorMessage } : undefined;
}

function toRejection(error: unknown): RequestRejection {
  if (error instanceof RequestRejection) return error;
  if (error instanceof RetryableError)
    return new RequestRejection('unavailable', error.message, error.retryAfterMs);
  if (error instanceof PermanentError) return new RequestRejection('invalid', error.message);
  return new RequestRejection(
    'internal',
    `internal error: ${error instanceof Error ? error.message : String(error)}`,
  );
}
