import type { TracesData } from '../../model/span.js';
import type { NanoRange } from '../../query/search/search-sql.js';
import type { SearchResponse } from '../../query/search/search-traces.js';
import { searchTraces } from '../../query/search/search-traces.js';
import type { TraceStore } from '../../store/trace-store.js';
import { TraceTooLargeError } from '../../store/trace-too-large-error.js';
import type { SpanCriteria } from './jaeger-search-query.js';
import { jaegerSearchQuery } from './jaeger-search-query.js';

export interface JaegerTraceSearch {
  criteria: SpanCriteria;
  range: NanoRange;
  /** Traces at most (Jaeger's `limit` / `query.search_depth`). */
  limit: number;
  timeoutMs: number;
}

const INT64_MAX = 2n ** 63n - 1n;

/**
 * The range within what a span's timestamp can be (1970 to 2262, nanoseconds in an Int64), so a
 * client's "everything" (`9999-12-31T23:59:59Z`, a huge `end`) reads as everything, not an error.
 */
function storableRange(range: NanoRange): NanoRange {
  const clamp = (n: bigint) => (n < 0n ? 0n : n > INT64_MAX ? INT64_MAX : n);
  return { startNanos: clamp(range.startNanos), endNanos: clamp(range.endNanos) };
}

/** The search alone: ids and per-trace facts, newest first (what trace summaries need). */
export function searchJaegerTraces(
  store: TraceStore,
  tenant: string,
  search: JaegerTraceSearch,
): Promise<SearchResponse> {
  return searchTraces(store, tenant, {
    query: jaegerSearchQuery(search.criteria),
    range: storableRange(search.range),
    limit: search.limit,
    spansPerSpanset: 1,
    timeoutMs: search.timeoutMs,
  });
}

/** A search's whole traces, and those too large to load (`--max-trace-spans`), left out. */
export interface FoundJaegerTraces {
  traces: TracesData[];
  tooLarge: TraceTooLargeError[];
}

/**
 * The traces that have a span matching the criteria, each loaded whole: Jaeger answers a search
 * with complete traces, spans outside the searched range included. Newest first. One trace past
 * the span limit does not fail the search; it is left out and reported.
 */
export async function findJaegerTraces(
  store: TraceStore,
  tenant: string,
  search: JaegerTraceSearch,
): Promise<FoundJaegerTraces> {
  const { traces } = await searchJaegerTraces(store, tenant, search);
  const loaded = await store.getTraces(
    tenant,
    traces.map((t) => t.traceId),
  );
  const found: FoundJaegerTraces = { traces: [], tooLarge: [] };
  for (const trace of loaded) {
    if (trace instanceof TraceTooLargeError) found.tooLarge.push(trace);
    // A trace can vanish between the search and the load (retention); it is left out.
    else if (trace !== undefined) found.traces.push(trace);
  }
  return found;
}
