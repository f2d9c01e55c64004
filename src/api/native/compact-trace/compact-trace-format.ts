import type { AnyValueJson } from '../../../otlp/json/otlp-json-types.js';

/*
 * The compact trace form of `GET /api/tracehouse/traces/<id>/compact`: what the web UI's trace
 * view reads instead of OTLP/JSON, which spends ~500 bytes a span mostly on repeated attribute
 * keys and per-span wrapper objects. Here a trace is a handful of columns (one JSON array per
 * field, one entry per span) plus two dictionaries, so that JSON.parse in the browser builds a few
 * large arrays instead of millions of small objects. ui/src/trace/compact-format.ts mirrors these
 * types; the README's native API section documents them.
 *
 * Conventions:
 * - `strings` holds every name, key and message once; a string field is an index into it, and
 *   index 0 is always ''.
 * - `values` holds every distinct attribute value once: a JSON string for a string value (the
 *   common case, kept bare to save bytes), otherwise the OTLP/JSON AnyValue (`{"intValue":"7"}`,
 *   `{"doubleValue":"NaN"}`, `{"bytesValue":"3q2+7w=="}`, `{}` for no value…).
 * - Attributes are flat `[key, value, key, value, …]` index pairs.
 * - Times are nanoseconds relative to `startUnixNano` (the earliest span start). JS numbers hold
 *   integers exactly up to 2^53 ns (104 days), so a relative time is a JSON number; one beyond
 *   that (a corrupt timestamp) is a decimal string instead, so nothing is ever rounded.
 * - Spans are sorted by start time (ties by span id); a span is referred to by its position.
 */

/** Nanoseconds relative to the trace's start: a number when exact as one, else decimal text. */
export type RelativeNanos = number | string;

/** A string attribute value bare, any other as its OTLP/JSON AnyValue. */
export type CompactValue = string | AnyValueJson;

/** The version this server writes; a reader refuses one it does not know. */
export const COMPACT_TRACE_VERSION = 1;

export interface CompactResource {
  attributes: number[];
}

export interface CompactScope {
  /** Index into `resources`. */
  resource: number;
  name: number;
  version: number;
  attributes: number[];
}

/** One entry per span in every array, in start order. */
export interface CompactSpans {
  /** 16 hex digits each (as stored). */
  spanId: string[];
  /**
   * The parent: its position when it is in this trace (the first span with that id), -1 for a
   * root, or the parent's hex id when it is not in the trace (never received, or dropped).
   */
  parent: (number | string)[];
  /** Index into `scopes` (and through it the resource, hence the service). */
  scope: number[];
  name: number[];
  /** OTLP SpanKind number. */
  kind: number[];
  start: RelativeNanos[];
  /** End minus start, ns (negative if the span ended before it started, as recorded). */
  duration: RelativeNanos[];
  /** OTLP StatusCode number. */
  statusCode: number[];
  statusMessage: number[];
  traceState: number[];
  /** Attribute pairs of each span: span i's are the next `attributeCount[i]` pairs of `attributes`. */
  attributeCount: number[];
  attributes: number[];
}

/** One entry per event in every array, grouped by span in span order. */
export interface CompactEvents {
  /** Position of the span the event belongs to. */
  span: number[];
  time: RelativeNanos[];
  name: number[];
  attributes: number[][];
}

/** One entry per link in every array, grouped by span in span order. */
export interface CompactLinks {
  span: number[];
  traceId: string[];
  spanId: string[];
  traceState: number[];
  attributes: number[][];
}

export interface CompactTrace {
  version: typeof COMPACT_TRACE_VERSION;
  /**
   * Set on an outline (`/outline`): only what a first frame draws — ids, parents, names, kinds,
   * times, status codes and each resource's `service.name` — with no attributes, events, links,
   * status messages, trace states or scope names (their columns hold zeros or nothing). The whole
   * trace, from `/compact`, is the same shape without it.
   */
  partial?: true;
  /** 32 hex digits. */
  traceId: string;
  /** The earliest span start, Unix nanoseconds as decimal text ('0' for a trace without spans). */
  startUnixNano: string;
  strings: string[];
  values: CompactValue[];
  resources: CompactResource[];
  scopes: CompactScope[];
  spans: CompactSpans;
  events: CompactEvents;
  links: CompactLinks;
}
