/**
 * Span kinds and status codes as the query layer names them: lowercase, as TraceQL writes them
 * (`kind = server`, `status = error`) and as Jaeger's `/api/operations` returns `spanKind`.
 *
 * `otel_traces` holds pdata's `SpanKind.String()` / `StatusCode.String()` ('Server', 'Error'):
 * what the OpenTelemetry Collector's ClickHouse exporter writes and store/rows/encode-span-rows.ts
 * too. Exporters before pdata 1.0 wrote the enum names ('SPAN_KIND_SERVER', 'STATUS_CODE_ERROR'),
 * and '' is possible in hand-made rows; both are read as well, as the TraceQL compiler does.
 */
export const SPAN_KIND_NAMES = [
  'unspecified',
  'internal',
  'server',
  'client',
  'producer',
  'consumer',
] as const;
export type SpanKindName = (typeof SPAN_KIND_NAMES)[number];

export const STATUS_NAMES = ['unset', 'ok', 'error'] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

/** Every stored text of a kind: 'server' → ['Server', 'SPAN_KIND_SERVER']. */
export function storedSpanKinds(kind: SpanKindName): string[] {
  const stored = [kind.charAt(0).toUpperCase() + kind.slice(1), `SPAN_KIND_${kind.toUpperCase()}`];
  return kind === 'unspecified' ? [...stored, ''] : stored;
}

/**
 * SQL: the kind's OTLP number (its index in SPAN_KIND_NAMES) from either spelling, 0 for anything
 * else. `transform` on the LowCardinality column runs once per dictionary entry, not per row.
 */
export const SPAN_KIND_CODE_SQL = (() => {
  const stored: string[] = [];
  const codes: number[] = [];
  SPAN_KIND_NAMES.forEach((kind, code) => {
    for (const text of storedSpanKinds(kind)) {
      stored.push(`'${text}'`);
      codes.push(code);
    }
  });
  return `transform(SpanKind, [${stored.join(', ')}], [${codes.join(', ')}], 0)`;
})();

/** SQL: the kind name of a row ('server'), from either spelling; '' reads as 'unspecified'. */
export const SPAN_KIND_NAME_SQL =
  "if(SpanKind = '', 'unspecified', replaceOne(lower(SpanKind), 'span_kind_', ''))";
/** SQL: the status name of a row ('error'); '' reads as 'unset'. */
export const STATUS_NAME_SQL =
  "if(StatusCode = '', 'unset', replaceOne(lower(StatusCode), 'status_code_', ''))";

/** A kind name read back through {@link SPAN_KIND_NAME_SQL}; anything unknown reads as unspecified. */
export function spanKindName(text: string): SpanKindName {
  return (SPAN_KIND_NAMES as readonly string[]).includes(text) ? (text as SpanKindName) : 'unspecified';
}

/** SQL: the span is an error (the only status that counts as one; Tempo and Jaeger agree). */
export const IS_ERROR_SQL = "StatusCode IN ('Error', 'STATUS_CODE_ERROR')";

/** SQL: a SERVER or CONSUMER span — work arriving in a service. */
export const IS_ENTRY_KIND_SQL =
  "SpanKind IN ('Server', 'Consumer', 'SPAN_KIND_SERVER', 'SPAN_KIND_CONSUMER')";

/**
 * SQL: the aggregate for p50, p90, p99 of `Duration`. `quantilesBFloat16` keeps a histogram of
 * durations rounded to 8 significant bits: at most 0.4 % low (e.g. 10 ms reads 9.96 ms), which a
 * latency chart cannot show, and measured 2.7× faster than `quantilesTDigest` on 10 M spans
 * (0.55 s against 1.5 s, both on a loaded 2-core machine) — the aggregate is most of a RED read.
 */
export const DURATION_QUANTILES = 'quantilesBFloat16(0.5, 0.9, 0.99)';
/** The same over the rows where a condition holds: `${DURATION_QUANTILES_IF}(Duration, cond)`. */
export const DURATION_QUANTILES_IF = 'quantilesBFloat16If(0.5, 0.9, 0.99)';
/** The same, split by the kind's number 0–5 (operation-stats.ts). */
export const DURATION_QUANTILES_RESAMPLE = 'quantilesBFloat16Resample(0.5, 0.9, 0.99, 0, 6, 1)';
/** The same, p99 alone. */
export const DURATION_P99 = 'quantileBFloat16(0.99)';
