import type { TraceStore } from '../store/trace-store.js';
import type { OperationSelector } from './operation-selector.js';
import { selectorCondition } from './operation-selector.js';
import type { SpanKindName } from './span-kinds.js';
import { SPAN_KIND_CODE_SQL, SPAN_KIND_NAMES } from './span-kinds.js';
import type { TimeRange } from './span-query.js';
import { IN_SORT_ORDER, allOf, rangeCondition, tracesTable } from './span-query.js';

/** A span name and the kind spans of that name had — Jaeger's `/api/operations` item. */
export interface Operation {
  name: string;
  spanKind: SpanKindName;
}

/** Only spans of this service and/or kind. */
export type SpanNameOptions = Pick<OperationSelector, 'service' | 'spanKind'>;

/*
 * `ServiceName` and `SpanName` lead the table's sort key and are LowCardinality: these reads group
 * by that prefix in sort order (IN_SORT_ORDER) and carry the kinds of a name as a bit set, so no
 * hash table over millions of rows is built. A span without `service.name` is stored with '' and
 * is not listed as a service.
 */

/** Distinct service names of spans started in the range, sorted by their bytes. */
export async function listServices(store: TraceStore, tenant: string, range: TimeRange): Promise<string[]> {
  const where = allOf(rangeCondition(range), { sql: "ServiceName != ''", params: {} });
  const rows = await store.driver.query<{ name: string }>(
    `SELECT ServiceName AS name FROM ${await tracesTable(store, tenant)}
     WHERE ${where.sql} GROUP BY ServiceName ORDER BY ServiceName ${IN_SORT_ORDER}`,
    where.params,
  );
  return rows.map((row) => row.name);
}

/** Distinct span names in the range (of one service, or of all), sorted by their bytes. */
export async function listSpanNames(
  store: TraceStore,
  tenant: string,
  range: TimeRange,
  options: SpanNameOptions = {},
): Promise<string[]> {
  const names = new Set((await namesAndKinds(store, tenant, range, options)).map((row) => row.name));
  return [...names].sort(byBytes);
}

/** Distinct (span name, kind) pairs in the range, sorted by name, then kind. */
export async function listOperations(
  store: TraceStore,
  tenant: string,
  range: TimeRange,
  options: SpanNameOptions = {},
): Promise<Operation[]> {
  const kinds = new Map<string, number>();
  for (const row of await namesAndKinds(store, tenant, range, options))
    kinds.set(row.name, (kinds.get(row.name) ?? 0) | row.kinds);
  const operations: Operation[] = [];
  for (const name of [...kinds.keys()].sort(byBytes)) {
    const named = SPAN_KIND_NAMES.filter((_, code) => (kinds.get(name)! & (1 << code)) !== 0).map(
      (spanKind): Operation => ({ name, spanKind }),
    );
    operations.push(...named.sort((a, b) => a.spanKind.localeCompare(b.spanKind)));
  }
  return operations;
}

/** Per (service, span name): the name and the bit set of its kinds' codes. */
async function namesAndKinds(
  store: TraceStore,
  tenant: string,
  range: TimeRange,
  options: SpanNameOptions,
): Promise<{ name: string; kinds: number }[]> {
  const where = selectorCondition(range, options);
  return store.driver.query<{ name: string; kinds: number }>(
    `SELECT SpanName AS name, groupBitOr(bitShiftLeft(toUInt8(1), ${SPAN_KIND_CODE_SQL})) AS kinds
     FROM ${await tracesTable(store, tenant)} WHERE ${where.sql}
     GROUP BY ServiceName, SpanName ${IN_SORT_ORDER}`,
    where.params,
  );
}

/** ClickHouse's string order: by UTF-8 bytes. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
