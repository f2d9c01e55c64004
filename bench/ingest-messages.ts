/**
 * What the ingest benchmark's processes say to each other over IPC: driver (ingest-bench) ←
 * server (ingest-server, the app under test) ↔ load generator.
 */

export type LoadProtocol = 'grpc' | 'http';

export interface LoadOptions {
  protocol: LoadProtocol;
  /** `HOST:PORT` of the receiver. */
  target: string;
  /** Requests kept in flight at once. */
  concurrency: number;
  warmupMs: number;
  durationMs: number;
  /** Upper bound on requests in the measured phase, whatever the duration. */
  maxRequests: number;
  /** Distinct pre-encoded batches replayed in turn. */
  batches: number;
  spansPerBatch: number;
  /** Span start times (Unix ns, decimal) of the encoded batches; realistic-batch's fixed 2023 date when absent. */
  baseUnixNano?: string;
  /** Give every request trace ids no earlier one used (fresh-trace-ids.ts), as new traffic has. */
  freshTraceIds?: boolean;
  /** After a refused request, wait this long before the worker sends again (an SDK's backoff). */
  refusedBackoffMs?: number;
}

export interface LoadReport {
  ok: number;
  failed: number;
  /** The first failure's message, '' when none. */
  firstError: string;
  /** Spans in the requests that succeeded. */
  spansOk: number;
  /** From the first request sent to the last response, in-flight requests drained. */
  elapsedMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  /** The load generator's own CPU time during the measured phase. */
  cpuMs: number;
  payloadBytesAvg: number;
}

/** Server → generator. */
export type ServerMessage = { type: 'go' };

/** Generator → server. `warmed`: warm-up done and drained, waiting for `go`. */
export type GeneratorMessage =
  { type: 'warmed' } | { type: 'done'; report: LoadReport } | { type: 'failed'; message: string };

/** Server → driver: one scenario's figures. */
/**
 * What the no-op sink takes: `model` — decoded spans, as the store exporter of `tracehouse start`
 * needs; `bytes` — the request as received, which the receiver scans and validates without
 * building spans, as a collector pipeline that only forwards does (README "Pass-through").
 */
export type IngestSink = 'model' | 'bytes';

export interface ScenarioResult {
  protocol: LoadProtocol;
  concurrency: number;
  sink: IngestSink;
  /** Spans counted by the NopExporter during the measured phase, over the client's elapsed time. */
  spansPerSec: number;
  serverSpans: number;
  /** Spans in requests the client saw succeed; equals `serverSpans` when every count agrees. */
  clientSpans: number;
  requestsOk: number;
  failed: number;
  firstError: string;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  /** CPU time over wall time: 1.0 is one core busy. */
  serverCores: number;
  /** Server CPU time per accepted span, in µs: what one span costs the app, however busy the machine was. */
  serverCpuUsPerSpan: number;
  clientCores: number;
  /** Everything else on the machine (other users, the kernel's share not charged to us). */
  otherCores: number;
  /** Peak RSS of the server process sampled every 100 ms during the measured phase. */
  serverPeakRssBytes: number;
  /** VmHWM of the server process at the end: its peak RSS over its whole life, warm-up included. */
  serverVmHwmBytes: number;
  payloadBytesAvg: number;
  elapsedMs: number;
}
