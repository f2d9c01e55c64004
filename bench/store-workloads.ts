import { randomBytes } from 'node:crypto';
import type { TracesData } from '../src/model/span.js';
import type { SpanBlocks } from '../src/store/rows/span-blocks.js';
import { encodeSpanBlocks } from '../src/store/rows/span-blocks.js';
import type { TraceStore } from '../src/store/trace-store.js';
import { makeExampleSystemBatch } from './example-system-batch.js';
import { makeRealisticBatch } from './realistic-batch.js';

export type StoreWorkload = 'example' | 'synthetic';

export const SPANS_PER_BATCH = 512;

/**
 * Batch `index` (0-based) of a workload, its spans starting at about `baseNanos`:
 * - `example`: 64 example-system traces of 8 spans (example-system-batch.ts), `spacingNanos` apart;
 * - `synthetic`: realistic-batch.ts (4 services, ~10 attributes, events on every 4th span,
 *   traces of 8 spans), spans within one second after `baseNanos`.
 * Ids are replaced by fresh random ones: the batch generators' 31-bit PRNGs would repeat trace
 * ids across millions of spans, and real ids are random.
 */
export function workloadBatch(
  workload: StoreWorkload,
  index: number,
  baseNanos: bigint,
  spacingNanos: bigint,
): TracesData {
  const data =
    workload === 'example'
      ? makeExampleSystemBatch(SPANS_PER_BATCH / 8, index + 1, baseNanos, spacingNanos)
      : makeRealisticBatch(SPANS_PER_BATCH, index + 1, baseNanos);
  freshIds(data);
  return data;
}

/** Replaces every trace and span id with a random one, keeping parent links within the batch. */
function freshIds(data: TracesData): void {
  let spans = 0;
  for (const rs of data) for (const ss of rs.scopeSpans) spans += ss.spans.length;
  const pool = randomBytes(spans * 24).toString('hex');
  let at = 0;
  const take = (digits: number): string => {
    const id = pool.slice(at, at + digits);
    at += digits;
    return id;
  };
  const traces = new Map<string, string>();
  const spanIds = new Map<string, string>();
  for (const rs of data)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans) {
        let trace = traces.get(span.traceId);
        if (trace === undefined) traces.set(span.traceId, (trace = take(32)));
        span.traceId = trace;
        const id = take(16);
        spanIds.set(span.spanId, id);
        span.spanId = id;
      }
  for (const rs of data)
    for (const ss of rs.scopeSpans)
      for (const span of ss.spans)
        if (span.parentSpanId !== '') span.parentSpanId = spanIds.get(span.parentSpanId) ?? take(16);
}

export interface LoadedSpans {
  spans: number;
  /** Up to `sampleSize` root spans picked uniformly (reservoir sampling): trace id, start (Unix s). */
  sample: { traceId: string; startSeconds: number }[];
  /** Unix seconds of the window's start (no span starts before it). */
  firstSeconds: number;
  elapsedMs: number;
  /** Main-thread time spent generating batches and encoding their rows. */
  encodeMs: number;
}

/**
 * Stores `totalSpans` spans of a workload straight into the store as Native blocks (no HTTP, no log):
 * batches spread evenly over the `windowSeconds` before now, encoded with the store's own
 * encodeSpanBlocks (both tables' rows: `otel_traces` and the trace-id-ordered copy), inserted
 * `chunkSpans` at a time. The next chunk is encoded while the previous
 * one is inserted (the engine runs off the event loop).
 */
export async function loadSpans(
  store: TraceStore,
  tenant: string,
  workload: StoreWorkload,
  totalSpans: number,
  windowSeconds: number,
  options: { chunkSpans?: number; sampleSize?: number; progress?: (spans: number) => void } = {},
): Promise<LoadedSpans> {
  const chunkSpans = options.chunkSpans ?? 131_072;
  const sampleSize = options.sampleSize ?? 1000;
  const batches = Math.ceil(totalSpans / SPANS_PER_BATCH);
  const endNanos = BigInt(Date.now()) * 1_000_000n - 2_000_000_000n;
  const windowNanos = BigInt(windowSeconds) * 1_000_000_000n;
  const startNanos = endNanos - windowNanos;
  const perBatchNanos = windowNanos / BigInt(batches);
  const spacingNanos = perBatchNanos / BigInt(SPANS_PER_BATCH / 8);
  const sample: LoadedSpans['sample'] = [];
  let roots = 0;
  let spans = 0;
  let encodeMs = 0;
  let pending: SpanBlocks[] = [];
  let pendingSpans = 0;
  let inserting: Promise<void> = Promise.resolve();
  const started = performance.now();
  const flush = async (): Promise<void> => {
    const blocks: SpanBlocks = {
      spans: Buffer.concat(pending.map((b) => b.spans)),
      traceSpans: Buffer.concat(pending.map((b) => b.traceSpans)),
    };
    pending = [];
    pendingSpans = 0;
    await inserting;
    inserting = store.insertSpans(tenant, blocks);
    options.progress?.(spans);
  };
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    const data = workloadBatch(workload, b, startNanos + BigInt(b) * perBatchNanos, spacingNanos);
    for (const rs of data)
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans) {
          spans++;
          if (span.parentSpanId !== '') continue;
          roots++;
          const entry = {
            traceId: span.traceId,
            startSeconds: Number(span.startTimeUnixNano / 1_000_000_000n),
          };
          if (sample.length < sampleSize) sample.push(entry);
          else {
            const slot = Math.floor(Math.random() * roots);
            if (slot < sampleSize) sample[slot] = entry;
          }
        }
    pending.push(encodeSpanBlocks(data));
    pendingSpans += SPANS_PER_BATCH;
    encodeMs += performance.now() - t0;
    if (pendingSpans >= chunkSpans) await flush();
  }
  if (pending.length > 0) await flush();
  await inserting;
  const firstSeconds = Number(startNanos / 1_000_000_000n);
  return { spans, sample, firstSeconds, elapsedMs: performance.now() - started, encodeMs };
}
