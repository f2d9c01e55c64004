import type { KeyValueJson, LinkJson, ScopeJson } from './otlp-json';

/** OTLP span kinds (opentelemetry-proto trace.proto `SpanKind`). */
export const SPAN_KIND_NAMES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
export const STATUS_ERROR = 2;
export const STATUS_NAMES = ['unset', 'ok', 'error'];

export interface SpanEventView {
  /** Milliseconds from the trace's start. */
  time: number;
  name: string;
  attributes: KeyValueJson[];
}

/**
 * One span, with times as milliseconds from the trace's earliest start (floats: sub-microsecond
 * precision over days), so layout arithmetic is plain numbers. The exact nanoseconds stay as text.
 */
export interface TraceSpan {
  index: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  traceState: string;
  name: string;
  service: string;
  /** Index into Trace.services: the colour. */
  serviceIndex: number;
  kind: number;
  statusCode: number;
  statusMessage: string;
  start: number;
  duration: number;
  startUnixNano: string;
  endUnixNano: string;
  attributes: KeyValueJson[];
  /** Shared by every span of one resource / scope. */
  resource: KeyValueJson[];
  scope: ScopeJson;
  events: SpanEventView[];
  links: LinkJson[];
}

export interface Trace {
  traceId: string;
  spans: TraceSpan[];
  /** In order of first appearance by start time. */
  services: string[];
  /** The earliest span start as Unix milliseconds (float) and exact nanoseconds. */
  startUnixMs: number;
  startUnixNano: string;
  /** From the earliest start to the latest end, ms. */
  duration: number;
  errorCount: number;
  /**
   * An outline: spans, times, names, kinds, services and status codes only — no attributes, events,
   * links, status messages or scopes yet. The whole trace replaces it a moment later.
   */
  partial?: boolean;
  /**
   * Each span's parent as a position in `spans` (−1 for a root, −2 for a parent not in the trace),
   * when the source already resolved them (the compact form does), so the tree need not look ids up.
   */
  parentIndex?: Int32Array;
}

export const isError = (span: TraceSpan): boolean => span.statusCode === STATUS_ERROR;
