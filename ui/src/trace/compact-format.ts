import type { AnyValueJson } from './otlp-json';

/*
 * The compact trace form `GET /api/tracehouse/traces/<id>/compact` answers (the README's native
 * API section; the server's src/api/native/compact-trace/compact-trace-format.ts is the reference
 * and explains the choices). In short: names, keys and messages are indices into `strings`;
 * attribute values indices into `values` (a bare string, or an OTLP/JSON AnyValue); attributes are
 * flat [key, value, …] pairs; spans are columns in start order; times are nanoseconds relative to
 * `startUnixNano`, a number when exact, else decimal text.
 */

export type RelativeNanos = number | string;
export type CompactValue = string | AnyValueJson;

export const COMPACT_TRACE_VERSION = 1;

export interface CompactTrace {
  version: number;
  /** An outline (`/outline`): only what the first frame draws; the rest is asked for after it. */
  partial?: boolean;
  traceId: string;
  startUnixNano: string;
  strings: string[];
  values: CompactValue[];
  resources: { attributes: number[] }[];
  scopes: { resource: number; name: number; version: number; attributes: number[] }[];
  spans: {
    spanId: string[];
    /** Position of the parent in this trace, -1 for a root, or the hex id of a parent not in it. */
    parent: (number | string)[];
    scope: number[];
    name: number[];
    kind: number[];
    start: RelativeNanos[];
    duration: RelativeNanos[];
    statusCode: number[];
    statusMessage: number[];
    traceState: number[];
    attributeCount: number[];
    attributes: number[];
  };
  events: { span: number[]; time: RelativeNanos[]; name: number[]; attributes: number[][] };
  links: {
    span: number[];
    traceId: string[];
    spanId: string[];
    traceState: number[];
    attributes: number[][];
  };
}
