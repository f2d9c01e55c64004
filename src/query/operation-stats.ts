import type { TraceStore } from '../store/trace-store.js';
import type { LatencyQuantiles } from './service-graph.js';
import type { SpanKindName } from './span-kinds.js';
import type { OperationSelector } from './operation-selector.js';
import { selectorCondition } from './operation-selector.js';
import { DURATION_QUANTILES, IS_ERROR_SQL, SPAN_KIND_NAME_SQL, spanKindName } from './span-kinds.js';
import type { TimeRange } from './span-query.js';
import { rangeSeconds, tracesTable } from './span-query.js';

export interface OperationKey {
  service: string;
  spanName: string;
  spanKind: SpanKindName;
}

/** Rate, errors, duration of one operation over the range. */
export interface OperationStats extends OperationKey {
  count: number;
  errorCount: number;
  /** Spans per second: count / seconds in the range (`end − start + 1`). */
  rate: number;
  /** errorCount / count. */
  errorRatio: number;
  /** Estimated (span-kinds.ts DURATION_QUANTILES), nanoseconds. */
  durationNanos: LatencyQuantiles;
}

/**
 * RED figures per (service, span name, kind) for the spans started in the range, sorted by
 * service, name, kind — what Jaeger's monitor tab and a service's operations table show.
 * The quantile aggregate is most of the cost over millions of spans; see DURATION_QUANTILES for
 * why it is a bfloat16 histogram.
 */
export async function operationStats(
  store: TraceStore,
  tenant: string,
  range: TimeRange,
  selector: OperationSelector = {},
): Promise<OperationStats[]> {
  const where = selectorCondition(range, selector);
  const rows = await store.driver.query<StatsRow>(
    `SELECT ServiceName AS service, SpanName AS spanName, ${SPAN_KIND_NAME_SQL} AS spanKind,
            toString(count()) AS count, toString(countIf(${IS_ERROR_SQL})) AS errors,
            ${DURATION_QUANTILES}(Duration) AS q
     FROM ${await tracesTable(store, tenant)} WHERE ${where.sql}
     GROUP BY service, spanName, spanKind ORDER BY service, spanName, spanKind`,
    where.params,
  );
  const seconds = rangeSeconds(range);
  return rows.map((row) => {
    const count = Number(row.count);
    const errorCount = Number(row.errors);
    return {
      service: row.service,
      spanName: row.spanName,
      spanKind: spanKindName(row.spanKind),
      count,
      errorCount,
      rate: count / seconds,
      errorRatio: count === 0 ? 0 : errorCount / count,
      durationNanos: { p50: row.q[0], p90: row.q[1], p99: row.q[2] },
    };
  });
}

interface StatsRow {
  service: string;
  spanName: string;
  spanKind: string;
  count: string;
  errors: string;
  q: [number, number, number];
}
