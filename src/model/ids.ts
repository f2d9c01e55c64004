/** Trace and span id rules shared by every codec: lowercase hex, fixed length, not all zeros. */
export const TRACE_ID_HEX_LENGTH = 32;
export const SPAN_ID_HEX_LENGTH = 16;

const ALL_ZERO = /^0*$/;
const HEX = /^[0-9a-f]*$/;

export function isValidTraceId(id: string): boolean {
  return id.length === TRACE_ID_HEX_LENGTH && HEX.test(id) && !ALL_ZERO.test(id);
}

export function isValidSpanId(id: string): boolean {
  return id.length === SPAN_ID_HEX_LENGTH && HEX.test(id) && !ALL_ZERO.test(id);
}

/** A parent span id is either absent ('') or a valid span id. */
export function isValidParentSpanId(id: string): boolean {
  return id === '' || isValidSpanId(id);
}
