import type { TraceStore } from '../store/trace-store.js';
import { InvalidQueryError } from './invalid-query-error.js';
import type { OperationSelector } from './operation-selector.js';
import { selectorCondition } from './operation-selector.js';
import type { SpanKindName } from './span-kinds.js';
import { DURATION_P99, IS_ERROR_SQL, SPAN_KIND_NAME_SQL, spanKindName } from './span-kinds.js';
import type { TimeRange } from './span-query.js';
import { rangeSeconds, tracesTable, withParams } from './span-query.js';

/** Prometheus refuses more than 11,000 points per series; so do we, for the same reason. */
export const MAX_SERIES_POINTS = 11_000;

export interface SeriesPoint {
  /** Unix seconds: the bucket is [start, start + step). */
  start: number;
  count: number;
  errorCount: number;
  /** Estimated (span-kinds.ts), nanoseconds; null for a bucket without spans. */
  p99Nanos: number | null;
}

export interface OperationSeries {
  service: string;
  /** Absent when grouped by service. */
  spanName?: string;
  spanKind?: SpanKindName;
  /** One per step from the range's start, empty buckets included. */
  points: SeriesPoint[];
}

export interface SeriesRequest {
  range: TimeRange;
  /** Bucket width in whole seconds. */
  stepSeconds: number;
  /** `operation` (default): one series per (service, span name, kind); `service`: one per service. */
  groupBy?: 'operation' | 'service';
  selector?: OperationSelector;
  /** The latency quantile each point carries in `p99Nanos` (default 0.99; Jaeger's Monitor asks others). */
  quantile?: number;
}

/**
 * Small-chart time series of the spans started in the range: per bucket, span count, errors and
 * p99 duration. Buckets start at `range.start` and are `stepSeconds` wide (the last one may reach
 * past `range.end`), so the points line up with the range the user picked rather than with the
 * epoch. Series are sorted like operationStats' rows.
 */
export async function operationSeries(
  store: TraceStore,
  tenant: string,
  request: SeriesRequest,
): Promise<OperationSeries[]> {
  const { range, stepSeconds: step } = request;
  // Bound as Int64 below: any whole step the caller passes divides exactly (as UInt32, a step past
  // 2^32 s wrapped and put rows in buckets that do not exist).
  if (!Number.isSafeInteger(step) || step < 1)
    throw new InvalidQueryError('step', `expected whole seconds ≥ 1, got ${step}`);
  const where = selectorCondition(range, request.selector ?? {});
  const buckets = Math.ceil(rangeSeconds(range) / step);
  if (buckets > MAX_SERIES_POINTS)
    throw new InvalidQueryError(
      'step',
      `${buckets} points per series; at most ${MAX_SERIES_POINTS} are allowed`,
    );
  const quantile = request.quantile ?? 0.99;
  if (!(quantile >= 0 && quantile <= 1))
    throw new InvalidQueryError('quantile', `expected a number between 0 and 1, got ${quantile}`);
  // An aggregate's parameter must be a literal; this is a checked number, not user text.
  const latency = quantile === 0.99 ? DURATION_P99 : `quantileBFloat16(${String(quantile)})`;
  const byOperation = request.groupBy !== 'service';
  const operation = byOperation ? 'SpanName, spanKind, ' : '';
  const rows = await store.driver.query<SeriesRow>(
    `SELECT ServiceName AS service, ${byOperation ? `SpanName AS spanName, ${SPAN_KIND_NAME_SQL} AS spanKind,` : ''}
            intDiv(toInt64(toUnixTimestamp(Timestamp)) - {seriesStart:Int64}, {seriesStep:Int64}) AS bucket,
            toString(count()) AS count, toString(countIf(${IS_ERROR_SQL})) AS errors,
            ${latency}(Duration) AS p99
     FROM ${await tracesTable(store, tenant)} WHERE ${where.sql}
     GROUP BY ServiceName, ${operation}bucket ORDER BY ServiceName, ${operation}bucket`,
    withParams(where, { seriesStart: range.start, seriesStep: step }).params,
  );
  const series: OperationSeries[] = [];
  let current: OperationSeries | undefined;
  let currentKey = '';
  for (const row of rows) {
    const key = JSON.stringify([row.service, row.spanName, row.spanKind]);
    if (current === undefined || key !== currentKey) {
      current = { service: row.service, points: emptyPoints(range.start, step, buckets) };
      if (byOperation) {
        current.spanName = row.spanName;
        current.spanKind = spanKindName(row.spanKind ?? '');
      }
      series.push(current);
      currentKey = key;
    }
    // Every span read lies in the range, so in a bucket; a row outside would be a fault of ours,
    // and is left out rather than failing the whole answer.
    const point = current.points[Number(row.bucket)] as SeriesPoint | undefined;
    if (point === undefined) continue;
    point.count = Number(row.count);
    point.errorCount = Number(row.errors);
    point.p99Nanos = row.p99;
  }
  return series;
}

interface SeriesRow {
  service: string;
  spanName?: string;
  spanKind?: string;
  bucket: string | number;
  count: string;
  errors: string;
  p99: number;
}

function emptyPoints(start: number, step: number, buckets: number): SeriesPoint[] {
  const points = new Array<SeriesPoint>(buckets);
  for (let b = 0; b < buckets; b++)
    points[b] = { start: start + b * step, count: 0, errorCount: 0, p99Nanos: null };
  return points;
}
