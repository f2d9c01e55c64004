import type { ResourceSpans, Span } from './span.js';
import {
  isValidParentSpanId,
  isValidSpanId,
  isValidTraceId,
  SPAN_ID_HEX_LENGTH,
  TRACE_ID_HEX_LENGTH,
} from './ids.js';
import { lastStorableTime, lastStorableTimeText } from './storable-times.js';

export interface SpanValidationResult {
  rejectedSpans: number;
  /** Describes the first few rejections, for OTLP's `partial_success.error_message`; '' when none. */
  errorMessage: string;
}

const MAX_REASONS = 3;

/**
 * Removes spans that cannot be stored (bad trace, span or parent id, or a time past what the
 * store keeps, storable-times.ts) in place and reports how many,
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
        const reason = invalidSpanReason(span);
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

function invalidSpanReason(span: Span): string | undefined {
  const { traceId, spanId, parentSpanId } = span;
  // scan-traces.ts checks the same on undecoded requests.
  const last = lastStorableTime();
  if (!isValidTraceId(traceId)) return idProblem('trace id', traceId, TRACE_ID_HEX_LENGTH);
  if (!isValidSpanId(spanId)) return idProblem('span id', spanId, SPAN_ID_HEX_LENGTH);
  if (!isValidParentSpanId(parentSpanId))
    return idProblem('parent span id', parentSpanId, SPAN_ID_HEX_LENGTH);
  if (span.startTimeUnixNano > last) return timeProblem('start time', span.startTimeUnixNano);
  if (span.endTimeUnixNano > last) return timeProblem('end time', span.endTimeUnixNano);
  for (const event of span.events)
    if (event.timeUnixNano > last)
      return timeProblem(`event ${JSON.stringify(event.name)}'s time`, event.timeUnixNano);
  return undefined;
}

function timeProblem(what: string, unixNano: bigint): string {
  return `${what} ${unixNano} ns is past ${lastStorableTimeText()}, the last time that can be stored`;
}

function idProblem(what: string, hex: string, hexLength: number): string {
  if (hex === '') return `${what} is missing`;
  if (hex.length !== hexLength) return `${what} "${hex}" is ${hex.length / 2} bytes, not ${hexLength / 2}`;
  return `${what} is all zeros`;
}
