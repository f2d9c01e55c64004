import { BadSearchParameter } from '../tempo/search-errors.js';
import { unixSecondsRange } from '../tempo/unix-seconds-params.js';
import type { SpanKindName } from '../../query/span-kinds.js';
import { SPAN_KIND_NAMES } from '../../query/span-kinds.js';
import type { TimeRange } from '../../query/span-query.js';

/** The query-string parameters the native routes read; each takes one value. */
export const NATIVE_PARAMS = [
  'start',
  'end',
  'service',
  'spanName',
  'spanKind',
  'step',
  'groupBy',
  'edges',
] as const;

/** The native parameters of a request, every one optional. */
export type NativeQueryString = Partial<Record<(typeof NATIVE_PARAMS)[number], string>>;

/** `start`/`end` in Unix seconds, both inclusive (the query layer's convention); the last hour when absent. */
export function rangeFromParams(params: NativeQueryString, nowMs = Date.now()): TimeRange {
  return unixSecondsRange(params.start, params.end, nowMs);
}

/**
 * A trace read's optional `start`/`end`: undefined when neither is given ('' is not given, as
 * Tempo's trace by id reads it), so the trace-id index finds the trace wherever it lies.
 */
export function traceRangeFromParams(params: NativeQueryString): TimeRange | undefined {
  if (!params.start && !params.end) return undefined;
  return rangeFromParams(params);
}

export function spanKindFromParams(text: string | undefined): SpanKindName | undefined {
  if (text === undefined || text === '') return undefined;
  const kind = SPAN_KIND_NAMES.find((k) => k === text);
  if (kind === undefined)
    throw new BadSearchParameter(
      `invalid spanKind: "${text}"; expected one of ${SPAN_KIND_NAMES.join(', ')}`,
    );
  return kind;
}

/** A whole number of seconds ≥ 1, or a Prometheus-style `30s`, `5m`, `1h`. */
export function stepFromParams(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const match = /^(\d+)(s|m|h|d)?$/.exec(text);
  const unit = { s: 1, m: 60, h: 3600, d: 86_400 } as const;
  const value = match ? Number(match[1]) * unit[(match[2] ?? 's') as keyof typeof unit] : 0;
  if (!Number.isSafeInteger(value) || value < 1)
    throw new BadSearchParameter(`invalid step: "${text}" is not a step such as 60, 30s or 5m`);
  return value;
}

/** One of the allowed words, or the fallback when absent. */
export function choiceFromParams<T extends string>(
  text: string | undefined,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  if (text === undefined || text === '') return fallback;
  const found = allowed.find((a) => a === text);
  if (found === undefined)
    throw new BadSearchParameter(`invalid ${name}: "${text}"; expected one of ${allowed.join(', ')}`);
  return found;
}
