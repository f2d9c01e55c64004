/**
 * Trace and span id rules shared by every codec. Decoders only ever produce lowercase hex (they
 * reject anything else), so validity here is the OTLP rule alone: the right length, not all zeros.
 * These checks run for every span received, hence plain comparisons rather than patterns.
 */
export const TRACE_ID_HEX_LENGTH = 32;
export const SPAN_ID_HEX_LENGTH = 16;

const ZERO_TRACE_ID = '0'.repeat(TRACE_ID_HEX_LENGTH);
/** An all-zero span id: as a parent, no parent (a root span), as the Collector and Tempo read it. */
export const ALL_ZERO_SPAN_ID = '0'.repeat(SPAN_ID_HEX_LENGTH);

export function isValidTraceId(id: string): boolean {
  return id.length === TRACE_ID_HEX_LENGTH && id !== ZERO_TRACE_ID;
}

export function isValidSpanId(id: string): boolean {
  return id.length === SPAN_ID_HEX_LENGTH && id !== ALL_ZERO_SPAN_ID;
}

/** A parent span id is either absent ('') or a valid span id. */
export function isValidParentSpanId(id: string): boolean {
  return id === '' || isValidSpanId(id);
}
