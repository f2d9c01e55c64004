import type { AnyValue } from '../../model/attributes.js';
import type { TraceStore } from '../../store/trace-store.js';
import type { Query } from '../../traceql/ast.js';
import { fieldValueToAnyValue } from '../search/field-value-to-any-value.js';
import { InvalidQueryError } from '../invalid-query-error.js';
import type { MetricsRow, MetricsWindow } from './metrics-sql.js';
import { planMetrics } from './metrics-sql.js';

export interface MetricsSeries {
  readonly labels: { readonly key: string; readonly value: AnyValue }[];
  /** One sample per bucket that had spans, oldest first; the bucket's start time. */
  readonly samples: { readonly timestampMs: number; readonly value: number }[];
}

/** Buckets × series a query may produce before it is refused as too large. */
const MAX_ROWS = 100_000;
/** Points per series, as Tempo's `max_points`-style guard. */
export const MAX_POINTS = 11_000;

/**
 * Runs a TraceQL metrics query over a window: `rate()` is spans per second in each step,
 * `count_over_time()` spans per step, `min|max|avg|sum_over_time(f)` the aggregate of `f`,
 * `quantile_over_time(f, q…)` one series per quantile (label `p`), `histogram_over_time(f)` one
 * series per log2 bucket (label `__bucket`). Durations are in seconds, as Tempo reports them.
 */
export async function queryMetrics(
  store: TraceStore,
  tenant: string,
  query: Query,
  window: MetricsWindow,
): Promise<MetricsSeries[]> {
  const points = (window.endNanos - window.startNanos) / window.stepNanos + 1n;
  if (points > BigInt(MAX_POINTS)) {
    throw new InvalidQueryError(
      'step',
      `${points} points per series is more than ${MAX_POINTS}: use a larger step`,
    );
  }
  const database = await store.readDatabase(tenant);
  const plan = planMetrics(query, database, window);
  const rows = await store.driver.query<MetricsRow>(plan.sql, { ...plan.params, w_max_rows: MAX_ROWS + 1 });
  if (rows.length > MAX_ROWS) {
    throw new InvalidQueryError(
      'q',
      `the query makes more than ${MAX_ROWS} points; narrow it or group by fewer fields`,
    );
  }
  const stepSeconds = Number(window.stepNanos) / 1e9;
  const series = new Map<string, MetricsSeries>();
  const add = (labels: MetricsSeries['labels'], bucket: string, value: number | null) => {
    if (value === null || !Number.isFinite(value)) return;
    const key = JSON.stringify(labels.map((l) => [l.key, labelText(l.value)]));
    let found = series.get(key);
    if (!found) series.set(key, (found = { labels, samples: [] }));
    const timestampMs = Number((window.startNanos + BigInt(bucket) * window.stepNanos) / 1_000_000n);
    found.samples.push({ timestampMs, value });
  };
  for (const row of rows) {
    const labels = row.labels.flatMap(([type, text], i) => {
      const value = fieldValueToAnyValue({ type, text });
      return value === undefined
        ? []
        : [{ key: plan.labelKeys[i], value: plan.labelKeys[i] === '__bucket' ? Number(text) : value }];
    });
    if (plan.function === 'quantile_over_time') {
      plan.quantiles.forEach((q, i) => add([...labels, { key: 'p', value: q }], row.bucket, row.values[i]));
    } else {
      add(
        labels,
        row.bucket,
        plan.function === 'rate' && row.value !== null ? row.value / stepSeconds : row.value,
      );
    }
  }
  return [...series.values()];
}

/** A label value as text: labels hold scalars (strings, numbers, booleans), never structures. */
export function labelText(value: AnyValue): string {
  if (value === null) return '';
  if (typeof value === 'object')
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}
