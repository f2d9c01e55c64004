import type { CompactTrace } from '../trace/compact-format';
import { fetchJson, fetchText } from './http';

/*
 * Tracehouse's own API (/api/tracehouse/…, documented in the README): what the UI needs that
 * neither Tempo's nor Jaeger's API offers.
 */

export interface Red {
  requestCount: number;
  errorCount: number;
  rate: number;
  errorRatio: number;
}

export interface Quantiles {
  p50: number;
  p90: number;
  p99: number;
}

export interface GraphNode extends Red {
  service: string;
}

export interface GraphEdge extends Red {
  client: string;
  server: string;
  latencyNanos: Quantiles;
}

export interface ServiceGraphAnswer {
  start: number;
  end: number;
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export interface OperationStats {
  service: string;
  spanName: string;
  spanKind: string;
  count: number;
  errorCount: number;
  rate: number;
  errorRatio: number;
  durationNanos: Quantiles;
}

export interface SeriesPoint {
  start: number;
  count: number;
  errorCount: number;
  p99Nanos: number | null;
}

export interface Series {
  service: string;
  spanName?: string;
  spanKind?: string;
  points: SeriesPoint[];
}

export interface Range {
  start: number;
  end: number;
}

/** `GET /api/tracehouse/tenants`: the tenants a picker may offer, the one asked as, and the default. */
export interface TenantsAnswer {
  tenants: string[];
  current: string;
  default: string;
}

export const fetchTenants = (signal?: AbortSignal) =>
  fetchJson<TenantsAnswer>('/api/tracehouse/tenants', signal);

const rangeQuery = (range: Range): string => `start=${range.start}&end=${range.end}`;

/** Where fetchTrace asks. */
export const compactTraceUrl = (traceId: string): string =>
  `/api/tracehouse/traces/${encodeURIComponent(traceId)}/compact`;

/** The trace in the compact form the trace view reads (a quarter of OTLP/JSON's bytes, quicker to parse). */
export const fetchTrace = (traceId: string, signal?: AbortSignal) =>
  fetchJson<CompactTrace>(compactTraceUrl(traceId), signal);

/** Where fetchTraceOutline asks; index.html's early-request script asks the same for a page at /trace/<id>. */
export const traceOutlineUrl = (traceId: string): string =>
  `/api/tracehouse/traces/${encodeURIComponent(traceId)}/outline`;

/**
 * What the trace view's first frame draws, in the compact form (`partial` set; the server extracts
 * it without parsing the stored spans, so a large trace answers several times sooner), or the whole
 * trace where the server has no outline of it.
 */
export const fetchTraceOutline = (traceId: string, signal?: AbortSignal) =>
  fetchJson<CompactTrace>(traceOutlineUrl(traceId), signal);

/** The trace as standard OTLP/JSON text, exactly as the server writes it: what "Download JSON" saves. */
export const fetchTraceOtlpJson = (traceId: string, signal?: AbortSignal) =>
  fetchText(`/api/tracehouse/traces/${encodeURIComponent(traceId)}`, signal);

export const fetchServiceGraph = (range: Range, edges: string, signal?: AbortSignal) =>
  fetchJson<ServiceGraphAnswer>(`/api/tracehouse/service-graph?${rangeQuery(range)}&edges=${edges}`, signal);

export const fetchServices = (range: Range, signal?: AbortSignal) =>
  fetchJson<{ services: GraphNode[] }>(`/api/tracehouse/services?${rangeQuery(range)}`, signal);

export const fetchOperations = (range: Range, service: string, signal?: AbortSignal) =>
  fetchJson<{ operations: OperationStats[] }>(
    `/api/tracehouse/operations?${rangeQuery(range)}&service=${encodeURIComponent(service)}`,
    signal,
  );

export const fetchSeries = (
  range: Range,
  groupBy: 'service' | 'operation',
  service: string,
  signal?: AbortSignal,
) =>
  fetchJson<{ step: number; series: Series[] }>(
    `/api/tracehouse/operations/series?${rangeQuery(range)}&groupBy=${groupBy}&service=${encodeURIComponent(service)}`,
    signal,
  );
