import { callAsPromise } from '../../consumer/call-as-promise.js';
import { PermanentError, RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext, TraceRequestBytes, TracesConsumer } from '../../consumer/traces-consumer.js';
import type { TracesData } from '../../model/span.js';
import { countSpans } from '../../model/factories.js';
import type { SpanFields } from '../../model/request-bytes.js';
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
 * `verbatim`: the protobuf request `data` was decoded from, when the decoder kept everything in
 * it, with where its spans lie (decodeExportTraceServiceRequestVerbatim's `spanFields`); attached
 * for pass-through (model/request-bytes.ts) unless validation removed a span. Whoever decodes a
 * request verbatim hands it on through here, so the span fields always go with the bytes.
 */
export function deliverTraces(
  data: TracesData,
  next: TracesConsumer,
  context: ConsumeContext,
  receiver: string,
  verbatim?: { bytes: Buffer; spanFields: SpanFields },
): Promise<PartialSuccess | undefined> {
  // Not async: an async function keeps its arguments reachable while it waits, and the batch
  // would outlive the store's fsync, be promoted to the old generation and cost a mark-compact.
  const tenant = tenantLabel(context.tenant);
  const { rejectedSpans, errorMessage } = removeInvalidSpans(data);
  if (rejectedSpans > 0)
    receiverRefusedSpans.inc({ receiver, tenant, reason: 'invalid_span' }, rejectedSpans);
  else if (verbatim) attachRequestBytes(data, [verbatim.bytes], [verbatim.spanFields]);
  const spans = countSpans(data);
  const partial = rejectedSpans > 0 ? { rejectedSpans, errorMessage } : undefined;
  if (spans === 0) return Promise.resolve(partial);
  // No closure that outlives this call may be made here: closures of one scope share all its
  // captured variables, `data` among them.
  return settle(
    callAsPromise(() => next.consumeTraces(data, context)),
    spans,
    receiver,
    tenant,
    partial,
  );
}

/**
 * deliverTraces for a request that was scanned instead of decoded (scan verdict `ok`: no span to
 * drop, so no partial success) into a pipeline that takes undecoded requests.
 */
export function deliverTraceBytes(
  request: TraceRequestBytes,
  consumeTraceBytes: (request: TraceRequestBytes, context: ConsumeContext) => Promise<void>,
  context: ConsumeContext,
  receiver: string,
): Promise<undefined> {
  if (request.spans === 0) return Promise.resolve(undefined);
  const consuming = callAsPromise(() => consumeTraceBytes(request, context));
  return settle(consuming, request.spans, receiver, tenantLabel(context.tenant), undefined);
}

/** Waits for the pipeline to take a batch, counting its spans accepted or refused. */
async function settle<T>(
  consuming: Promise<void>,
  spans: number,
  receiver: string,
  tenant: string,
  result: T,
): Promise<T> {
  try {
    await consuming;
  } catch (error) {
    const rejection = toRejection(error);
    receiverRefusedSpans.inc({ receiver, tenant, reason: rejection.kind }, spans);
    throw rejection;
  }
  receiverAcceptedSpans.inc({ receiver, tenant }, spans);
  return result;
}

function toRejection(error: unknown): RequestRejection {
  if (error instanceof RequestRejection) return error;
  if (error instanceof RetryableError)
    return new RequestRejection(error.throttle ? 'busy' : 'unavailable', error.message, error.retryAfterMs);
  if (error instanceof PermanentError)
    return new RequestRejection(error.tooLarge ? 'too-large' : 'invalid', error.message);
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
