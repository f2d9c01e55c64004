import type { TraceOutline } from '../../store/reader/trace-outline.js';
import type { TimeRange, TraceStore } from '../../store/trace-store.js';
import { compactOutline } from './compact-trace/compact-outline.js';
import { PrefetchTimings } from './prefetch-timings.js';
import { ReadTiming } from './read-timing.js';
import { readCompactTrace } from './trace-compact-read.js';

/** The cache's name for the outline's JSON text (see TraceStore.getTraceOutline). */
const OUTLINE_JSON = 'compact-outline-json-v1';

const prefetchTimings = new PrefetchTimings();

/**
 * The trace's outline as a partial compact trace (compact-trace/compact-outline.ts) and its
 * Server-Timing, or the whole trace where there is no outline to read (spans stored only in
 * `otel_traces`, or in an older layout of the spans table); undefined when no span is stored.
 */
export async function readOutlineTrace(
  store: TraceStore,
  tenant: string,
  traceId: string,
  range: TimeRange | undefined,
): Promise<{ json: string; timing: string } | undefined> {
  const timing = new ReadTiming('outline');
  const json = await store.getTraceOutline(tenant, traceId, range, OUTLINE_JSON, (outline) =>
    outlineJson(timing, traceId, outline),
  );
  if (json === undefined) return readCompactTrace(store, tenant, traceId, range);
  const header = timing.built ? timing.header() : (prefetchTimings.take(tenant, traceId) ?? timing.header());
  return { json, timing: header };
}

/**
 * Starts reading a trace's outline when the UI's page for it is served (`/trace/<id>`), so that
 * ClickHouse runs while the browser loads the page's scripts; the page's request for the outline
 * then takes that read (TraceStore.prefetchTraceOutline), finished or not. Errors are left for
 * that request to meet.
 */
export function outlinePrefetcher(store: TraceStore): (tenant: string, traceId: string) => void {
  return (tenant, traceId) => {
    if (!/^[0-9a-fA-F]{1,32}$/.test(traceId)) return;
    const id = traceId.toLowerCase().padStart(32, '0');
    const timing = new ReadTiming('outline');
    store.prefetchTraceOutline(tenant, id, OUTLINE_JSON, (outline) => {
      const json = outlineJson(timing, id, outline);
      prefetchTimings.put(tenant, id, timing.header());
      return json;
    });
  };
}

/** The outline's compact JSON, timed: ClickHouse has answered (the values already extracted). */
function outlineJson(timing: ReadTiming, traceId: string, outline: TraceOutline): string {
  timing.answered();
  return timing.buildJson(() => compactOutline(traceId, outline));
}
