import type { LoadProtocol } from './ingest-messages.js';

/**
 * What the collector benchmark's processes say to each other over IPC: driver (collector-bench)
 * ← server (collector-server: Tracehouse as a collector) ↔ load generator and sink.
 */

export type CollectorScenario = 'plain' | 'processors' | 'tail';

/** Server → sink, and the sink's answers. */
export type SinkRequest = { type: 'count' } | { type: 'stop' };
export type SinkMessage =
  { type: 'listening'; address: string } | { type: 'count'; spans: number; cpuMs: number };

/** Server → driver: one scenario's figures. */
export interface CollectorResult {
  scenario: CollectorScenario;
  /** Processor worker threads (`--workers`). */
  workers: number;
  protocol: LoadProtocol;
  concurrency: number;
  /** Spans the collector accepted (the client's OK responses × spans per request) per second. */
  spansPerSec: number;
  /** Spans the sink received in the measured phase, per second (fewer than accepted when sampling). */
  sinkSpansPerSec: number;
  clientSpans: number;
  sinkSpans: number;
  requestsOk: number;
  failed: number;
  firstError: string;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** CPU time over wall time: 1.0 is one core. */
  collectorCores: number;
  clientCores: number;
  /** The sink process alone. */
  sinkCores: number;
  /** Everything else on the machine (other people's work on a shared machine). */
  otherCores: number;
  /** The collector's JavaScript main thread alone (1.0: saturated, whatever the workers do). */
  collectorMainThreadCores: number;
  collectorCpuUsPerSpan: number;
  collectorPeakRssBytes: number;
  collectorVmHwmBytes: number;
  elapsedMs: number;
}
