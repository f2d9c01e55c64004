import { TRACE_ID_TS_TABLE, TRACES_TABLE } from '../store/schema/collector-traces-schema.js';
import { qualifiedName } from '../store/schema/sql-quote.js';
import type { TraceStore } from '../store/trace-store.js';
import { IS_ERROR_SQL } from './span-kinds.js';
import type { TimeRange } from './span-query.js';
import { rangeCondition, withParams } from './span-query.js';

export interface TraceStats {
  traceId: string;
  spanCount: number;
  errorCount: number;
  /** Sorted; '' for spans without `service.name`. */
  services: string[];
  /** Spans on the longest parent chain; a span whose parent is missing starts a chain of its own. */
  depth: number;
  /** The earliest span start, Unix nanoseconds. */
  startUnixNano: bigint;
  /** From the earliest start to the latest end. */
  durationNanos: bigint;
  /** Of the earliest root span (no parent); '' when the root was not received. */
  rootServiceName: string;
  rootSpanName: string;
}

/**
 * A trace's summary for the native API without reading its spans: aggregates over a handful of
 * narrow columns, plus the span and parent ids (48 bytes a span) from which the depth is worked
 * out here. Without a range, the trace-id lookup table narrows the scan as in `getTrace`.
 * Undefined when no span of the trace is stored.
 */
export async function traceStats(
  store: TraceStore,
  tenant: string,
  traceId: string,
  range?: TimeRange,
): Promise<TraceStats | undefined> {
  const database = await store.readDatabase(tenant);
  const bounds = range ?? (await lookupRange(store, database, traceId));
  if (bounds === undefined) return undefined;
  const where = withParams(rangeCondition(bounds), { traceId });
  const [row] = await store.driver.query<StatsRow>(
    `SELECT toString(count()) AS spans, toString(countIf(${IS_ERROR_SQL})) AS errors,
            arraySort(groupUniqArray(ServiceName)) AS services,
            toString(min(toUnixTimestamp64Nano(Timestamp))) AS start,
            toString(max(toInt128(toUnixTimestamp64Nano(Timestamp)) + Duration)) AS end,
            argMinIf(ServiceName, Timestamp, ParentSpanId = '') AS rootService,
            argMinIf(SpanName, Timestamp, ParentSpanId = '') AS rootName,
            groupArray(SpanId) AS ids, groupArray(ParentSpanId) AS parents
     FROM ${qualifiedName(database, TRACES_TABLE)}
     WHERE TraceId = {traceId:String} AND ${where.sql}`,
    where.params,
  );
  if (row === undefined || row.spans === '0') return undefined;
  const start = BigInt(row.start);
  return {
    traceId,
    spanCount: Number(row.spans),
    errorCount: Number(row.errors),
    services: row.services,
    depth: treeDepth(row.ids, row.parents),
    startUnixNano: start,
    durationNanos: BigInt(row.end) - start,
    rootServiceName: row.rootService,
    rootSpanName: row.rootName,
  };
}

interface StatsRow {
  spans: string;
  errors: string;
  services: string[];
  start: string;
  end: string;
  rootService: string;
  rootName: string;
  ids: string[];
  parents: string[];
}

async function lookupRange(
  store: TraceStore,
  database: string,
  traceId: string,
): Promise<TimeRange | undefined> {
  const [found] = await store.driver.query<{ start: string; end: string; n: string }>(
    `SELECT toString(toUnixTimestamp(min(Start))) AS start, toString(toUnixTimestamp(max(End))) AS end,
            toString(count()) AS n
     FROM ${qualifiedName(database, TRACE_ID_TS_TABLE)} WHERE TraceId = {traceId:String}`,
    { traceId },
  );
  if (!found || found.n === '0') return undefined;
  return { start: Number(found.start), end: Number(found.end) };
}

/**
 * The longest chain of parent links, counted in spans. Iterative (a deep trace must not overflow
 * the stack) and safe on bad data: a cycle of parent links ends the chain where it closes.
 */
export function treeDepth(ids: readonly string[], parents: readonly string[]): number {
  const parentOf = new Map<string, string>();
  for (let i = 0; i < ids.length; i++) parentOf.set(ids[i], parents[i]);
  const depthOf = new Map<string, number>();
  let deepest = 0;
  const chain: string[] = [];
  for (const id of parentOf.keys()) {
    let at: string | undefined = id;
    const onChain = new Set<string>();
    while (at !== undefined && !depthOf.has(at) && parentOf.has(at) && !onChain.has(at)) {
      chain.push(at);
      onChain.add(at);
      at = parentOf.get(at);
    }
    let depth = at !== undefined ? (depthOf.get(at) ?? 0) : 0;
    while (chain.length > 0) depthOf.set(chain.pop()!, ++depth);
    deepest = Math.max(deepest, depthOf.get(id) ?? 0);
  }
  return deepest;
}
