import { MAX_INT64, parseDuration } from '../traceql/lex-literals.js';

export { MAX_INT64 };

/** 2^63 − 1 ns as Go prints it. */
const MAX_DURATION_TEXT = '2562047h47m16.854775807s';

/** Go's time.ParseDuration grammar: an optional sign, then terms of its units (no d, w or y), or a bare 0. */
const GO_DURATION = /^[+-]?(?:0|(?:(?:\d+(?:\.\d*)?|\.\d+)(?:ns|us|µs|μs|ms|s|m|h))+)$/;

/**
 * Nanoseconds of a Go duration (`1.5s`, `100ms`, `1h30m`, `-2m`, `0`) as Go's
 * `time.ParseDuration` reads it — fractions below a nanosecond dropped, no surrounding spaces —
 * exactly, so a value past 2^63 − 1 ns (about 2562047h) comes back as it is for the caller to
 * refuse, where Go fails with "invalid duration". Undefined when the text is not one.
 */
export function parseGoDurationNanos(text: string): bigint | undefined {
  if (!GO_DURATION.test(text)) return undefined;
  const negative = text.startsWith('-');
  const unsigned = /^[+-]/.test(text) ? text.slice(1) : text;
  const nanos = unsigned === '0' ? 0n : parseDuration(unsigned);
  if (nanos === undefined) return undefined;
  return negative ? -nanos : nanos;
}

/**
 * A duration parameter of the query APIs: a Go duration ≥ 0 that fits a Go `time.Duration`
 * (Tempo and Jaeger parse theirs with `time.ParseDuration`, which answers 400 past 2^63 − 1 ns
 * rather than wrap). With `bareSeconds`, a plain decimal (`30`, `0.5`, `.5`) is seconds, as Tempo's
 * metrics `step` takes one. `refuse(detail)` builds the caller's error, which names the parameter.
 */
export function goDurationParam(
  text: string,
  refuse: (detail: string) => Error,
  { bareSeconds = false }: { bareSeconds?: boolean } = {},
): bigint {
  const nanos = parseGoDurationNanos(
    bareSeconds && /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(text) ? `${text}s` : text,
  );
  if (nanos === undefined || nanos < 0n)
    throw refuse(`"${text}" is not a duration such as 100ms, 1.5s or 2h`);
  if (nanos > MAX_INT64) throw refuse(`"${text}" is out of range: at most ${MAX_DURATION_TEXT}`);
  return nanos;
}
