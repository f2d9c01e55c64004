import type { SpanRowSink } from '../../store/reader/span-row-sink.js';
import type { TimeRange, TraceStore } from '../../store/trace-store.js';
import { CompactTraceBuilder } from './compact-trace/compact-trace-builder.js';
import { ReadTiming } from './read-timing.js';

/** The cache's name for the whole trace's compact JSON text (see TraceStore.getTraceBuilt). */
const COMPACT_JSON = 'compact-json-v1';

/**
 * The whole trace's compact JSON and its Server-Timing (ReadTiming), or undefined when no span of
 * it is stored.
 */
export async function readCompactTrace(
  store: TraceStore,
  tenant: string,
  traceId: string,
  range: TimeRange | undefined,
): Promise<{ json: string; timing: string } | undefined> {
  const timing = new ReadTiming();
  const json = await store.getTraceBuilt(tenant, traceId, range, COMPACT_JSON, () =>
    timingSink(timing, new CompactTraceBuilder(traceId)),
  );
  if (json === undefined) return undefined;
  return { json, timing: timing.header() };
}

/** A sink feeding `builder`, timed: the first row is ClickHouse's answer (parsing interleaves the build). */
function timingSink(timing: ReadTiming, builder: CompactTraceBuilder): SpanRowSink<string> {
  return {
    begin: () => timing.answered(),
    add: (row) => builder.add(row),
    finish: () => timing.buildJson(() => builder.finish()),
  };
}
