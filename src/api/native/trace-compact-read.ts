import type { SpanRowSink } from '../../store/reader/span-row-sink.js';
import type { TimeRange, TraceStore } from '../../store/trace-store.js';
import { CompactTraceBuilder } from './compact-trace/compact-trace-builder.js';

/** The cache's name for the whole trace's compact JSON text (see TraceStore.getTraceBuilt). */
const COMPACT_JSON = 'compact-json-v1';

/**
 * The whole trace's compact JSON and its Server-Timing, or undefined when no span of it is stored.
 * Server-Timing (W3C) shows where a slow trace's time went, in the browser's dev tools and to
 * bench/ui-bench.ts; compression is timed separately by sendJson.
 */
export async function readCompactTrace(
  store: TraceStore,
  tenant: string,
  traceId: string,
  range: TimeRange | undefined,
): Promise<{ json: string; timing: string } | undefined> {
  const timing = new BuildTiming();
  const json = await store.getTraceBuilt(tenant, traceId, range, COMPACT_JSON, () =>
    timing.sink(new CompactTraceBuilder(traceId)),
  );
  if (json === undefined) return undefined;
  return { json, timing: timing.header() };
}

/**
 * Times one read: `query` (ClickHouse's answer), `read` (that, then parsing the stored rows into
 * the compact form's columns, the two interleaved) and `encode` (JSON text). A read answered from
 * the cache has only `read`, with `desc="cached"`.
 */
class BuildTiming {
  private readonly start = performance.now();
  private queried = 0;
  private built = 0;
  private encoded = 0;

  /** A sink timing `builder`'s read. */
  sink(builder: CompactTraceBuilder): SpanRowSink<string> {
    return {
      begin: () => {
        this.queried = performance.now();
      },
      add: (row) => builder.add(row),
      finish: () => {
        const trace = builder.finish();
        this.built = performance.now();
        const json = JSON.stringify(trace);
        this.encoded = performance.now();
        return json;
      },
    };
  }

  header(): string {
    const ms = (from: number, to: number): string => (to - from).toFixed(1);
    if (this.encoded === 0) return `read;dur=${ms(this.start, performance.now())};desc="cached"`;
    return (
      `query;dur=${ms(this.start, this.queried)}, read;dur=${ms(this.start, this.built)}, ` +
      `encode;dur=${ms(this.built, this.encoded)}`
    );
  }
}
