import type { ResourceSpans } from './span.js';
import {
  isValidParentSpanId,
  isValidSpanId,
  isValidTraceId,
  SPAN_ID_HEX_LENGTH,
  TRACE_ID_HEX_LENGTH,
} from './ids.js';

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
  if (!isValidTraceId(traceId)) return idProblem('trace id', traceId, TRACE_ID_HEX_LENGTH);
  if (!isValidSpanId(spanId)) return idProblem('span id', spanId, SPAN_ID_HEX_LENGTH);
  if (!isValidParentSpanId(parentSpanId))
    return idProblem('parent span id', parentSpanId, SPAN_ID_HEX_LENGTH);
  return undefined;
}

function idProblem(what: string, hex: string, hexLength: number): string {
  if (hex === '') return `${what} is missing`;
  if (hex.length !== hexLength) return `${what} "${hex}" is ${hex.length / 2} bytes, not ${hexLength / 2}`;
  return `${what} is all zeros`;
}
