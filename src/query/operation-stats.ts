import type { TraceStore } from '../store/trace-store.js';
import type { LatencyQuantiles } from './service-graph.js';
import type { SpanKindName } from './span-kinds.js';
import type { OperationSelector } from './operation-selector.js';
import { selectorCondition } from './operation-selector.js';
import {
  DURATION_QUANTILES_RESAMPLE,
  IS_ERROR_SQL,
  SPAN_KIND_CODE_SQL,
  SPAN_KIND_NAMES,
} from './span-kinds.js';
import type { TimeRange } from './span-query.js';
import { IN_SORT_ORDER, rangeSeconds, tracesTable } from './span-query.js';

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
 * service, name (bytes), kind (name) — what Jaeger's monitor tab and a service's operations table
 * show.
 *
 * Shape, for speed on millions of spans: the GROUP BY is (ServiceName, SpanName), the sort key's
 * prefix, aggregated in sort order (IN_SORT_ORDER); the kind, which is not in the sort key, is
 * split inside each group with the `-Resample` combinator over its OTLP number (0–5), which also
 * merges the two spellings of a kind. Measured on 10 M spans: 0.9 CPU-s, against 2.2 CPU-s for
 * GROUP BY service, name, kind. The quantile aggregate: see DURATION_QUANTILES.
 */
export async function operationStats(
  store: TraceStore,
  tenant: string,
  range: TimeRange,
  selector: OperationSelector = {},
): Promise<OperationStats[]> {
  const where = selectorCondition(range, selector);
  const rows = await store.driver.query<StatsRow>(
    `SELECT ServiceName AS service, SpanName AS spanName,
            countResample(0, 6, 1)(kind) AS counts, sumResample(0, 6, 1)(failed, kind) AS errors,
            ${DURATION_QUANTILES_RESAMPLE}(Duration, kind) AS q
     FROM (SELECT ServiceName, SpanName, Duration, toUInt8(${IS_ERROR_SQL}) AS failed, ${SPAN_KIND_CODE_SQL} AS kind
           FROM ${await tracesTable(store, tenant)} WHERE ${where.sql})
     GROUP BY ServiceName, SpanName ORDER BY service, spanName ${IN_SORT_ORDER}`,
    where.params,
  );
  const seconds = rangeSeconds(range);
  const stats: OperationStats[] = [];
  for (const row of rows) {
    const kinds = SPAN_KIND_NAMES.map((spanKind, code) => ({ spanKind, code })).filter(
      ({ code }) => Number(row.counts[code]) > 0,
    );
    kinds.sort((a, b) => a.spanKind.localeCompare(b.spanKind));
    for (const { spanKind, code } of kinds) {
      const count = Number(row.counts[code]);
      const errorCount = Number(row.errors[code]);
      const [p50, p90, p99] = row.q[code];
      stats.push({
        service: row.service,
        spanName: row.spanName,
        spanKind,
        count,
        errorCount,
        rate: count / seconds,
        errorRatio: errorCount / count,
        durationNanos: { p50, p90, p99 },
      });
    }
  }
  return stats;
}

/** Per-kind arrays, index = the kind's OTLP number; 64-bit counts arrive as strings. */
interface StatsRow {
  service: string;
  spanName: string;
  counts: string[];
  errors: string[];
  q: [number, number, number][];
}
