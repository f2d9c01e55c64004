/*
 * OTLP/JSON as `GET /api/tracehouse/traces/<id>` answers it (opentelemetry-proto's JSON mapping):
 * hex ids, enums as numbers, 64-bit integers as decimal strings. Only what the UI reads.
 */

export interface AnyValueJson {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: AnyValueJson[] };
  kvlistValue?: { values?: KeyValueJson[] };
}

export interface KeyValueJson {
  key?: string;
  value?: AnyValueJson;
}

export interface EventJson {
  timeUnixNano?: string;
  name?: string;
  attributes?: KeyValueJson[];
}

export interface LinkJson {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  attributes?: KeyValueJson[];
}

export interface SpanJson {
  traceId?: string;
  spanId?: string;
  traceState?: string;
  parentSpanId?: string;
  name?: string;
  kind?: number;
  startTimeUnixNano?: string;
  endTimeUnixNano?: string;
  attributes?: KeyValueJson[];
  events?: EventJson[];
  links?: LinkJson[];
  status?: { code?: number; message?: string };
}

export interface ScopeJson {
  name?: string;
  version?: string;
  attributes?: KeyValueJson[];
}

export interface ResourceSpansJson {
  resource?: { attributes?: KeyValueJson[] };
  scopeSpans?: { scope?: ScopeJson; spans?: SpanJson[] }[];
}

export interface TracesDataJson {
  resourceSpans?: ResourceSpansJson[];
}

/** An attribute value as one line of text, the way the side panel and find-in-trace read it. */
export function valueText(value: AnyValueJson | undefined): string {
  if (value === undefined) return '';
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return String(value.boolValue);
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.arrayValue !== undefined) return `[${(value.arrayValue.values ?? []).map(valueText).join(', ')}]`;
  if (value.kvlistValue !== undefined)
    return `{${(value.kvlistValue.values ?? []).map((kv) => `${kv.key ?? ''}: ${valueText(kv.value)}`).join(', ')}}`;
  return '';
}

export function attributeText(
  attributes: readonly KeyValueJson[] | undefined,
  key: string,
): string | undefined {
  const found = attributes?.find((kv) => kv.key === key);
  return found === undefined ? undefined : valueText(found.value);
}
