import type { QueryParams } from '../../store/driver/clickhouse-driver.js';
import { quoteIdentifier } from '../../store/schema/sql-quote.js';
import type { FieldExpression, MetricsFunction, Query } from '../../traceql/ast.js';
import { ConditionCompiler } from '../../traceql/sql/compile-condition.js';
import { fieldValueSql } from '../../traceql/sql/field-values.js';
import { QueryCompileError, unsupported } from '../../traceql/sql/query-error.js';
import { SqlParams } from '../../traceql/sql/sql-params.js';
import { sameTree } from '../../traceql/strip-positions.js';

/** A TraceQL metrics query taken apart: which spans, what to compute, how to group. */
export interface MetricsPlan {
  readonly function: MetricsFunction;
  readonly quantiles: readonly number[];
  /** The label keys, in `by()` order (as written: `resource.service.name`). */
  readonly labelKeys: readonly string[];
  /** The measured field is `duration` (or another duration): values are reported in seconds, as Tempo. */
  readonly durationValued: boolean;
  readonly sql: string;
  readonly params: QueryParams;
}

export interface MetricsWindow {
  readonly startNanos: bigint;
  readonly endNanos: bigint;
  /** Bucket width; the whole range for an instant query. */
  readonly stepNanos: bigint;
}

/** Per series (label tuple) and bucket: one row with the aggregate(s). */
export interface MetricsRow {
  bucket: string;
  labels: [string, string | null][];
  value: number | null;
  values: (number | null)[];
}

const FIELD_FUNCTIONS = new Set<MetricsFunction>([
  'min_over_time',
  'max_over_time',
  'avg_over_time',
  'sum_over_time',
  'quantile_over_time',
  'histogram_over_time',
]);

/**
 * Compiles `{ filter } | rate() by (…)` and its kin to one GROUP BY over time buckets and label
 * values. Like Tempo, a metrics query measures spans: its spanset part must be one filter (Tempo
 * runs metrics on the first pass of the engine too); structural and multi-spanset queries are
 * refused as unsupported rather than answered wrongly.
 */
export function planMetrics(query: Query, database: string, window: MetricsWindow): MetricsPlan {
  if (query.kind !== 'pipeline')
    throw new QueryCompileError(
      'a metrics query ends in a metrics function such as | rate()',
      query.position,
    );
  const stage = query.stages[query.stages.length - 1];
  if (stage.kind !== 'metrics')
    throw new QueryCompileError(
      'a metrics query ends in a metrics function such as | rate()',
      stage.position,
    );
  if (query.stages.length > 1)
    throw unsupported('pipeline stages before a metrics function', query.stages[0].position);
  if (query.source.kind !== 'filter')
    throw unsupported('metrics over more than one spanset filter', query.source.position);

  const params = new SqlParams('m_');
  const conditions = new ConditionCompiler(params);
  const filter = query.source.condition === undefined ? '1' : conditions.condition(query.source.condition);
  if (FIELD_FUNCTIONS.has(stage.function) && !stage.field) {
    throw new QueryCompileError(
      `${stage.function} needs the field it measures, as ${stage.function}(duration)`,
      stage.position,
    );
  }
  const measured = stage.field ? conditions.numeric(stage.field) : '0';
  // A field named twice in by() groups no finer, and its label twice is no valid Prometheus label
  // set: it is kept once, where it first appears. (Tempo neither refuses nor folds it: its
  // GroupingAggregator.labelsFor writes the label twice.)
  const by = stage.by.filter((field, i) => stage.by.findIndex((other) => sameTree(other, field)) === i);
  const labels = by.map((field) => fieldValueSql(field, params, conditions));
  if (conditions.needs.traceInfo)
    throw unsupported('trace-level intrinsics in metrics queries', query.position);
  const durationValued = stage.field !== undefined && isDuration(stage.field);
  // Tempo reports durations in seconds.
  const value = durationValued ? `(${measured}) / 1e9` : measured;
  const quantiles =
    stage.function === 'quantile_over_time' && stage.arguments.length === 0 ? [0.5] : [...stage.arguments];
  for (const q of quantiles) {
    if (!Number.isFinite(q) || q < 0 || q > 1)
      throw new QueryCompileError(`a quantile is between 0 and 1, not ${q}`, stage.position);
  }
  const aggregate = aggregateSql(stage.function, value, quantiles);
  if (stage.function === 'histogram_over_time') {
    // Tempo's log2 buckets: each value counts under the next power of two (in seconds for durations).
    labels.push(`tuple('double', toString(pow(2, ceil(log2(greatest(${value}, 1e-9))))))`);
  }
  const table = `${quoteIdentifier(database)}.otel_traces`;
  const sql = `SELECT toString(intDiv(toUnixTimestamp64Nano(Timestamp) - {w_start:Int64}, {w_step:Int64})) AS bucket,
  [${labels.join(', ')}] AS labels,
  ${aggregate}
FROM ${table}
WHERE Timestamp >= fromUnixTimestamp64Nano({w_start:Int64}) AND Timestamp <= fromUnixTimestamp64Nano({w_end:Int64}) AND (${filter})
GROUP BY bucket, labels
ORDER BY labels, bucket
LIMIT {w_max_rows:UInt32}`;
  return {
    function: stage.function,
    quantiles,
    labelKeys: [...by.map(labelKey), ...(stage.function === 'histogram_over_time' ? ['__bucket'] : [])],
    durationValued,
    sql,
    params: { ...params.all(), w_start: window.startNanos, w_end: window.endNanos, w_step: window.stepNanos },
  };
}

function aggregateSql(fn: MetricsFunction, value: string, quantiles: readonly number[]): string {
  switch (fn) {
    case 'rate':
    case 'count_over_time':
      return 'toFloat64(count()) AS value, [] AS values';
    case 'min_over_time':
      return `min(${value}) AS value, [] AS values`;
    case 'max_over_time':
      return `max(${value}) AS value, [] AS values`;
    case 'avg_over_time':
      return `avg(${value}) AS value, [] AS values`;
    case 'sum_over_time':
      return `sum(${value}) AS value, [] AS values`;
    case 'quantile_over_time':
      // Aggregate parameters must be literals; these are numbers the parser produced and checked.
      return `NULL AS value, quantiles(${quantiles.map((q) => String(q)).join(', ')})(${value}) AS values`;
    case 'histogram_over_time':
      return `toFloat64(count()) AS value, [] AS values`;
  }
}

function isDuration(field: FieldExpression): boolean {
  return (
    field.kind === 'intrinsic' &&
    (field.name === 'duration' || field.name === 'traceDuration' || field.name === 'event:timeSinceStart')
  );
}

/** The label name Tempo gives a `by()` field: the attribute as written, or the intrinsic. */
export function labelKey(field: FieldExpression): string {
  switch (field.kind) {
    case 'attribute':
      return field.scope === 'none' ? `.${field.name}` : `${field.scope}.${field.name}`;
    case 'intrinsic':
      return field.name;
    default:
      return 'value';
  }
}
