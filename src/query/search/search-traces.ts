import type { KeyValue } from '../../model/attributes.js';
import type { TraceStore } from '../../store/trace-store.js';
import type { Query } from '../../traceql/ast.js';
import type { SearchPlan } from '../../traceql/sql/search-plan.js';
import { planSearch } from '../../traceql/sql/search-plan.js';
import type { CandidateTrace, MatchedSpan, Spanset } from './evaluate-spansets.js';
import { evaluateTrace } from './evaluate-spansets.js';
import { fieldValueToAnyValue } from './field-value-to-any-value.js';
import type { NanoRange, TraceDetailsRow } from './search-sql.js';
import { candidateTracesSql, traceDetailsSql } from './search-sql.js';

export interface SearchRequest {
  readonly query: Query;
  readonly range: NanoRange;
  /** Traces to return at most (Tempo's default 20). */
  readonly limit: number;
  /** Spans shown per spanset (Tempo's `spss`, default 3); 0 = all. */
  readonly spansPerSpanset: number;
  /**
   * Past this the search asks for no more windows and returns what it found. Each query is
   * stopped in ClickHouse by the request's own deadline (read-deadline.ts).
   */
  readonly timeoutMs: number;
}

export interface FoundSpan {
  readonly spanId: string;
  readonly name: string;
  readonly startNanos: bigint;
  readonly durationNanos: bigint;
  /** The attributes the query's conditions and `select()` name, as the span has them. */
  readonly attributes: KeyValue[];
}

export interface FoundSpanset {
  readonly spans: FoundSpan[];
  /** How many spans matched; `spans` shows at most `spansPerSpanset` of them. */
  readonly matched: number;
  /** The `by()` values of this spanset. */
  readonly attributes: KeyValue[];
}

export interface FoundTrace {
  readonly traceId: string;
  /** Tempo's placeholder when the root span is not (yet) stored. */
  readonly rootServiceName: string;
  readonly rootTraceName: string;
  readonly startNanos: bigint;
  readonly durationNanos: bigint;
  readonly spanCount: number;
  /** Spans and error spans per service (Tempo's `serviceStats`). */
  readonly serviceStats: Record<string, { spanCount: number; errorCount: number }>;
  readonly spanSets: FoundSpanset[];
}

export interface SearchResponse {
  readonly traces: FoundTrace[];
  readonly metrics: {
    readonly inspectedTraces: number;
    readonly completedWindows: number;
    readonly totalWindows: number;
  };
}

export const ROOT_NOT_RECEIVED = '<root span not yet received>';

/** The first window searched; each next, older one is four times wider. */
const FIRST_WINDOW_NANOS = 10n * 60n * 1_000_000_000n;

/**
 * TraceQL search, newest traces first. The time range is walked in windows from its end backwards
 * (10 minutes, then 40, 160, …), so a search whose `limit` traces are all recent stops reading
 * early instead of grouping the whole range; each window finds candidate traces in SQL, reads
 * their details, and evaluates the spanset expression per trace.
 */
export async function searchTraces(
  store: TraceStore,
  tenant: string,
  request: SearchRequest,
): Promise<SearchResponse> {
  const plan = planSearch(request.query);
  const database = await store.readDatabase(tenant);
  const deadline = Date.now() + request.timeoutMs;
  const found: FoundTrace[] = [];
  const seen: string[] = [];
  const windows = timeWindows(request.range);
  let inspected = 0;
  let completedWindows = 0;
  // The evaluator can reject candidates (structure, pipelines): then ask SQL for more at a time.
  const rejects = plan.needsSkeleton || hasPipeline(request.query);

  for (const window of windows) {
    for (;;) {
      const remaining = request.limit - found.length;
      if (remaining <= 0 || Date.now() > deadline) break;
      const batch = rejects ? Math.max(remaining * 3, 50) : remaining;
      // ClickHouse stops each query by the request's deadline (read-deadline.ts), taken when it starts.
      const candidates = candidateTracesSql(database, plan, window, batch, seen);
      const ids = (await store.driver.query<{ traceId: string }>(candidates.sql, candidates.params)).map(
        (r) => r.traceId,
      );
      if (ids.length === 0) break;
      seen.push(...ids);
      inspected += ids.length;
      const details = traceDetailsSql(database, plan, request.range, ids);
      const rows = await store.driver.query<TraceDetailsRow>(details.sql, details.params);
      const byId = new Map(rows.map((row) => [row.traceId, row]));
      // Keep SQL's newest-first order of candidates.
      for (const id of ids) {
        const row = byId.get(id);
        if (!row) continue;
        const spansets = evaluateTrace(plan, candidateFromRow(row));
        if (spansets.length > 0 && found.length < request.limit)
          found.push(foundTrace(plan, row, spansets, request.spansPerSpanset));
      }
      if (ids.length < batch) break;
    }
    completedWindows++;
    if (found.length >= request.limit || Date.now() > deadline) break;
  }
  found.sort((a, b) => (a.startNanos === b.startNanos ? 0 : a.startNanos > b.startNanos ? -1 : 1));
  return {
    traces: found,
    metrics: { inspectedTraces: inspected, completedWindows, totalWindows: windows.length },
  };
}

function timeWindows(range: NanoRange): NanoRange[] {
  const windows: NanoRange[] = [];
  let end = range.endNanos;
  let width = FIRST_WINDOW_NANOS;
  while (end >= range.startNanos) {
    const start = end - width + 1n > range.startNanos ? end - width + 1n : range.startNanos;
    windows.push({ startNanos: start, endNanos: end });
    end = start - 1n;
    width *= 4n;
  }
  return windows;
}

function hasPipeline(query: Query): boolean {
  if (query.kind === 'pipeline') return true;
  if (query.kind === 'spansetBinary') return hasPipeline(query.left) || hasPipeline(query.right);
  return false;
}

function candidateFromRow(row: TraceDetailsRow): CandidateTrace {
  const spans: MatchedSpan[] = row.matched.map(
    ([spanId, parentSpanId, name, serviceName, start, duration, flags, fields]) => ({
      spanId,
      parentSpanId,
      name,
      serviceName,
      startNanos: BigInt(start),
      durationNanos: BigInt(duration),
      flags,
      fields: fields.map(([type, text]) => ({ type, text })),
    }),
  );
  const parents = row.skeleton ? new Map(row.skeleton) : undefined;
  return { spans, parents };
}

function foundTrace(
  plan: SearchPlan,
  row: TraceDetailsRow,
  spansets: Spanset[],
  spansPerSpanset: number,
): FoundTrace {
  const startNanos = BigInt(row.start);
  const hasRoot = row.roots !== '0';
  return {
    traceId: row.traceId,
    rootServiceName: hasRoot ? row.rootServiceName : ROOT_NOT_RECEIVED,
    rootTraceName: hasRoot ? row.rootName : '',
    startNanos,
    durationNanos: BigInt(row.end) - startNanos,
    spanCount: Number(row.spanCount),
    serviceStats: Object.fromEntries(
      row.serviceStats[0].map((service, i) => [
        service,
        { spanCount: Number(row.serviceStats[1][i]), errorCount: Number(row.serviceStats[2][i]) },
      ]),
    ),
    spanSets: spansets.map((set) => {
      const ordered = [...set.spans].sort((a, b) =>
        a.startNanos < b.startNanos ? -1 : a.startNanos > b.startNanos ? 1 : 0,
      );
      const shown = spansPerSpanset > 0 ? ordered.slice(0, spansPerSpanset) : ordered;
      return {
        matched: set.spans.length,
        spans: shown.map((span) => ({
          spanId: span.spanId,
          name: span.name,
          startNanos: span.startNanos,
          durationNanos: span.durationNanos,
          attributes: outputAttributes(plan, span),
        })),
        attributes: set.by.flatMap(({ index, value }) => {
          const key = plan.outputFields.find((f) => f.index === index)?.key ?? `by${index}`;
          const any = fieldValueToAnyValue(value);
          return any === undefined ? [] : [{ key, value: any }];
        }),
      };
    }),
  };
}

function outputAttributes(plan: SearchPlan, span: MatchedSpan): KeyValue[] {
  const out: KeyValue[] = [];
  for (const { index, key } of plan.outputFields) {
    const value = fieldValueToAnyValue(span.fields[index]);
    if (value !== undefined) out.push({ key, value });
  }
  return out;
}
