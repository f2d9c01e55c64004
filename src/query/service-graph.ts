import type { TraceStore } from '../store/trace-store.js';
import { serviceGraphFromEdges } from './service-graph-edges.js';
import { serviceGraphFromJoin } from './service-graph-join.js';
import type { TimeRange } from './span-query.js';

/**
 * Which parent/child pairs across a service boundary are edges:
 * - `entry-spans` (default): the child is a SERVER or CONSUMER span — a request or message
 *   arriving — and its parent, of any kind, belongs to another service. That is CLIENT → SERVER
 *   and PRODUCER → CONSUMER (Tempo's service-graph pairs), and also a caller whose client side is
 *   not instrumented (INTERNAL → SERVER).
 * - `all-spans`: a child of any kind whose parent belongs to another service, as Jaeger's
 *   dependencies count them. The join then holds every non-root span instead of the entry
 *   spans only, which costs more (see bench/query-bench.ts).
 */
export type EdgeRule = 'entry-spans' | 'all-spans';

export interface ServiceGraphRequest {
  range: TimeRange;
  edges?: EdgeRule;
}

/** Latency quantiles in nanoseconds, estimated (span-kinds.ts DURATION_QUANTILES). */
export interface LatencyQuantiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface ServiceGraphEdge {
  client: string;
  server: string;
  requestCount: number;
  /** Requests where the parent or the child span is an error. */
  errorCount: number;
  /** Of the child (server-side) spans' durations. */
  latencyNanos: LatencyQuantiles;
}

export interface ServiceGraphNode {
  service: string;
  /** Entry spans: SERVER and CONSUMER spans, root spans, and the children of `all-spans` edges. */
  requestCount: number;
  /** Entry spans that are errors. */
  errorCount: number;
}

export interface ServiceGraph {
  /** Sorted by client, then server. */
  edges: ServiceGraphEdge[];
  /** Every service with requests or on an edge, sorted. */
  nodes: ServiceGraphNode[];
}

/**
 * The service graph of the spans started in the range: from the edges paired at ingest
 * (`tracehouse_service_graph_edges`, service-graph-edges.ts), or — where that table has no row in
 * the range: spans written by the OpenTelemetry Collector's exporter, or stored before the
 * upgrade — from the join of the stored spans (service-graph-join.ts). Both give the same graph
 * for the same spans (service-graph.test.ts checks it), except pairs whose two spans reached the
 * store further apart than the pairing wait (README, "Service graph").
 */
export async function serviceGraph(
  store: TraceStore,
  tenant: string,
  request: ServiceGraphRequest,
): Promise<ServiceGraph> {
  return (
    (await serviceGraphFromEdges(store, tenant, request)) ?? serviceGraphFromJoin(store, tenant, request)
  );
}
