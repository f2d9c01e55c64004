import { PermanentError, RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext, TracesConsumer } from '../../consumer/traces-consumer.js';
import type { TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
import { attachRequestBytes } from '../../model/request-bytes.js';
import { removeInvalidSpans } from '../../model/validate-spans.js';
import type { PartialSuccess } from '../../otlp/protobuf/trace-service-response.js';
import { receiverAcceptedSpans, receiverRefusedSpans } from '../../observability/self-metrics.js';
import { validateTenant } from '../../store/schema/tenant-database.js';
import { RequestRejection } from './request-rejection.js';

/**
 * The part of handling an export request that every receiver shares: drop spans that cannot be
 * stored (reported as OTLP partial success), hand the rest on, and turn a downstream refusal
 * into the rejection the protocol expresses. Counts accepted and refused spans per receiver and
 * tenant (`tracehouse_receiver_*_spans_total`).
 *
 * `verbatimBytes`: the protobuf request `data` was decoded from, when the decoder kept everything
 * in it; attached for pass-through (model/request-bytes.ts) unless validation removed a span.
 */
export async function deliverTraces(
  data: TracesData,
  next: TracesConsumer,
  context: ConsumeContext,
  receiver: string,
  verbatimBytes?: Buffer,
): Promise<PartialSuccess | undefined> {
  const tenant = tenantLabel(context.tenant);
  const { rejectedSpans, errorMessage } = removeInvalidSpans(data);
  if (rejectedSpans > 0)
    receiverRefusedSpans.inc({ receiver, tenant, reason: 'invalid_span' }, rejectedSpans);
  else if (verbatimBytes) attachRequestBytes(data, [verbatimBytes]);
  const spans = countSpans(data);
  if (spans > 0) {
    try {
      await next.consumeTraces(data, context);
    } catch (error) {
      const rejection = toRejection(error);
      receiverRefusedSpans.inc({ receiver, tenant, reason: rejection.kind }, spans);
      throw rejection;
    }
    receiverAcceptedSpans.inc({ receiver, tenant }, spans);
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

/**
 * The tenant as a metric label: a tenant the store would refuse (any header text a sender makes
 * up) is counted as `invalid`, so senders cannot grow the label set without bound.
 */
function tenantLabel(tenant: string): string {
  try {
    return validateTenant(tenant);
  } catch {
    return 'invalid';
  }
}
