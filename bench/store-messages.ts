import type { ThreadCpu } from './thread-cpu.js';

/** What the storage benchmark's scenario processes report to store-bench.ts over IPC. */

export interface StoreIngestResult {
  kind: 'ingest';
  concurrency: number;
  durationMs: number;
  /** Client: OK responses × 512 in the measured phase, over its elapsed time. */
  ackedSpansPerSec: number;
  ackedSpans: number;
  failed: number;
  firstError: string;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Rows in ClickHouse when the measured phase started, when it ended, and once the log was drained. */
  storedAtStart: number;
  storedAtEnd: number;
  storedFinal: number;
  /** Spans the store exporter accepted over the whole run (warm-up included), server side. */
  acceptedTotal: number;
  /** Rows stored during the measured phase over its wall time. */
  storedSpansPerSec: number;
  /** Rows stored from the measured phase's start until the log was drained, over that time. */
  storedSpansPerSecWithCatchUp: number;
  /** From the end of the load until `flushAll` returned. */
  catchUpMs: number;
  /** Largest accepted − stored seen by a 250 ms sampler in the measured phase. */
  maxBacklogSpans: number;
  /** Time inside the store's inserts (wall; both tables' since migration 7) over the measured phase's wall time. */
  insertWallShare: number;
  inserts: number;
  insertMsP50: number;
  insertMsMax: number;
  /** Server process CPU in the measured phase, by thread group (thread-cpu.ts). */
  cpu: ThreadCpu;
  wallMs: number;
  clientCores: number;
  otherCores: number;
  peakRssBytes: number;
  vmHwmBytes: number;
  bytesPerSpanOnDisk: number;
}

export interface ColumnBytes {
  name: string;
  compressed: number;
  uncompressed: number;
}

export interface StoreBytesResult {
  kind: 'bytes';
  workload: string;
  spans: number;
  attributesPerSpan: number;
  loadSpansPerSec: number;
  optimizeMs: number;
  /** `otel_traces` after OPTIMIZE … FINAL: active parts' bytes_on_disk. */
  tableBytes: number;
  parts: number;
  /** Compressed column data, skip indexes, marks and primary index (parts' own counters). */
  dataBytes: number;
  skipIndexBytes: number;
  marksBytes: number;
  /** The trace-id → time-range lookup table, after its own OPTIMIZE. */
  lookupBytes: number;
  /** `tracehouse_trace_spans`, the trace-id-ordered copy that makes trace by id fast. */
  traceSpansBytes: number;
  columns: ColumnBytes[];
  /** Compressed bytes of Tracehouse's own columns (tracehouse-trace-columns.ts). */
  tracehouseColumnsBytes: number;
}

export interface StoreTraceByIdResult {
  kind: 'trace-by-id';
  spans: number;
  traces: number;
  loadSpansPerSec: number;
  optimizeMs: number;
  parts: number;
  queries: number;
  /** Queries that did not return the expected trace. */
  wrong: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  rangeP50Ms: number;
  rangeP99Ms: number;
  rangeMaxMs: number;
  /** Without a range: the lookup query, the spans query, and the rest (JSON parse of rows → model), medians. */
  lookupP50Ms: number;
  spansQueryP50Ms: number;
  spansQueryP99Ms: number;
  spansPerTrace: number;
  peakRssBytes: number;
}

export type StoreResult = StoreIngestResult | StoreBytesResult | StoreTraceByIdResult;
