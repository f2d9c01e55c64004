import type { ResourceSpans } from './span.js';
import { isValidParentSpanId, isValidSpanId, isValidTraceId } from './ids.js';

export interface SpanValidationResult {
  rejectedSpans: number;
  /** Describes the first few rejections, for OTLP's `partial_success.error_message`; '' when none. */
  errorMessage: string;
}

const MAX_REASONS = 3;

/**
 * Removes spans that cannot be stored (bad trace, span or parent id) in place and reports how many,
 * so a receiver can keep the rest and answer with OTLP's partial success.
 */
export function removeInvalidSpans(data: ResourceSpans[]): SpanValidationResult {
  let rejectedSpans = 0;
  const reasons: string[] = [];
  for (const rs of data) {
    for (const ss of rs.scopeSpans) {
      let kept = 0;
      const spans = ss.spans;
      for (let i = 0; i < spans.length; i++) {
        const span = spans[i];
        const reason = invalidSpanReason(span.traceId, span.spanId, span.parentSpanId);
        if (reason === undefined) {
          spans[kept++] = span;
          continue;
        }
        rejectedSpans++;
        if (reasons.length < MAX_REASONS) reasons.push(`span ${JSON.stringify(span.name)}: ${reason}`);
      }
      spans.length = kept;
    }
  }
  if (rejectedSpans === 0) return { rejectedSpans, errorMessage: '' };
  const more = rejectedSpans > reasons.length ? ` (and ${rejectedSpans - reasons.length} more)` : '';
  return {
    rejectedSpans,
    errorMessage: `rejected ${rejectedSpans} invalid span(s): ${reasons.join('; ')}${more}`,
  };
}

function invalidSpanReason(traceId: string, spanId: string, parentSpanId: string): string | undefined {
  if (!isValidTraceId(traceId)) return `trace id ${describeId(traceId)} is not 16 bytes, or is all zeros`;
  if (!isValidSpanId(spanId)) return `span id ${describeId(spanId)} is not 8 bytes, or is all zeros`;
  if (!isValidParentSpanId(parentSpanId)) return `parent span id ${describeId(parentSpanId)} is not 8 bytes`;
  return undefined;
}

function describeId(hex: string): string {
  return hex === '' ? '(empty)' : `"${hex}" (${hex.length / 2} bytes)`;
}
