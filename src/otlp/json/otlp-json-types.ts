/**
 * The shapes the encoders produce: OTLP's trace messages in proto3 JSON as OTLP/JSON writes them —
 * lowerCamelCase keys, hex ids, 64-bit integers as decimal strings, enums as numbers, and fields
 * holding their default value left out (hence every field is optional).
 */

export interface AnyValueJson {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: AnyValueJson[] };
  kvlistValue?: { values?: KeyValueJson[] };
}

export interface KeyValueJson {
  key?: string;
  value?: AnyValueJson;
}

export interface ResourceJson {
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
}

export interface InstrumentationScopeJson {
  name?: string;
  version?: string;
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
}

export interface StatusJson {
  message?: string;
  code?: number;
}

export interface EventJson {
  timeUnixNano?: string;
  name?: string;
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
}

export interface LinkJson {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
  flags?: number;
}

export interface SpanJson {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  parentSpanId?: string;
  flags?: number;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: KeyValueJson[];
  droppedAttributesCount?: number;
  events?: EventJson[];
  droppedEventsCount?: number;
  links?: LinkJson[];
  droppedLinksCount?: number;
  status?: StatusJson;
}

export interface ScopeSpansJson {
  scope?: InstrumentationScopeJson;
  spans?: SpanJson[];
  schemaUrl?: string;
}

export interface ResourceSpansJson {
  resource?: ResourceJson;
  scopeSpans?: ScopeSpansJson[];
  schemaUrl?: string;
}

export interface ExportTraceServiceRequestJson {
  resourceSpans?: ResourceSpansJson[];
}
