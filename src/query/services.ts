import type { TraceStore } from '../store/trace-store.js';
import type { OperationSelector } from './operation-selector.js';
import { selectorCondition } from './operation-selector.js';
import type { SpanKindName } from './span-kinds.js';
import { SPAN_KIND_NAME_SQL, spanKindName } from './span-kinds.js';
import type { TimeRange } from './span-query.js';
import { allOf, rangeCondition, tracesTable } from './span-query.js';

/** A span name and the kind spans of that name had — Jaeger's `/api/operations` item. */
export interface Operation {
  name: string;
  spanKind: SpanKindName;
}

/** Only spans of this service and/or kind. */
export type SpanNameOptions = Pick<OperationSelector, 'service' | 'spanKind'>;

/*
 * `ServiceName` and `SpanName` lead the table's sort key and are LowCardinality, so these reads
 * touch two or three small dictionary-encoded columns: GROUP BY over them is a dictionary scan.
 * A span without `service.name` is stored with '' and is not listed as a service.
 */

/** Distinct service names of spans started in the range, sorted. */
export async function listServices(store: TraceStore, tenant: string, range: TimeRange): Promise<string[]> {
  const where = allOf(rangeCondition(range), { sql: "ServiceName != ''", params: {} });
  const rows = await store.driver.query<{ name: string }>(
    `SELECT ServiceName AS name FROM ${await tracesTable(store, tenant)}
     WHERE ${where.sql} GROUP BY ServiceName ORDER BY ServiceName`,
    where.params,
  );
  return rows.map((row) => row.name);
}

/** Distinct span names in the range (of one service, or of all), sorted. */
export async function listSpanNames(
  store: TraceStore,
  tenant: string,
  range: TimeRange,
  options: SpanNameOptions = {},
): Promise<string[]> {
  const where = selectorCondition(range, options);
  const rows = await store.driver.query<{ name: string }>(
    `SELECT SpanName AS name FROM ${await tracesTable(store, tenant)}
     WHERE ${where.sql} GROUP BY SpanName ORDER BY SpanName`,
    where.params,
  );
  return rows.map((row) => row.name);
}

/** Distinct (span name, kind) pairs in the range, sorted by name then kind. */
export async function listOperations(
  store: TraceStore,
  tenant: string,
  range: TimeRange,
  options: SpanNameOptions = {},
): Promise<Operation[]> {
  const where = selectorCondition(range, options);
  const rows = await store.driver.query<{ name: string; kind: string }>(
    `SELECT SpanName AS name, ${SPAN_KIND_NAME_SQL} AS kind FROM ${await tracesTable(store, tenant)}
     WHERE ${where.sql} GROUP BY name, kind ORDER BY name, kind`,
    where.params,
  );
  return rows.map((row) => ({ name: row.name, spanKind: spanKindName(row.kind) }));
}
