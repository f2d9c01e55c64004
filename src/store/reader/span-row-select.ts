/**
 * The SELECT list that reads `otel_traces` rows back for span-row-to-model.ts. 64-bit values
 * leave as strings (JSON numbers would round them); maps whose key order and duplicates matter
 * leave as parallel key and value arrays; the type and exact-value maps, read by key, as objects.
 */
const keysValues = (column: string, alias: string): string =>
  `mapKeys(${column}) AS ${alias}Keys, mapValues(${column}) AS ${alias}Values`;
const perItemKeysValues = (column: string, alias: string): string =>
  `arrayMap(m -> mapKeys(m), ${column}) AS ${alias}Keys, arrayMap(m -> mapValues(m), ${column}) AS ${alias}Values`;

export const SPAN_ROW_SELECT = [
  'toString(toUnixTimestamp64Nano(Timestamp)) AS start',
  'toString(Duration) AS duration',
  'TraceId, SpanId, ParentSpanId, TraceState, SpanName, SpanKind, ServiceName',
  keysValues('ResourceAttributes', 'resource'),
  'ScopeName, ScopeVersion',
  keysValues('SpanAttributes', 'span'),
  'StatusCode, StatusMessage',
  'arrayMap(t -> toString(toUnixTimestamp64Nano(t)), `Events.Timestamp`) AS eventTimes, `Events.Name` AS eventNames',
  perItemKeysValues('`Events.Attributes`', 'event'),
  '`Links.TraceId` AS linkTraceIds, `Links.SpanId` AS linkSpanIds, `Links.TraceState` AS linkTraceStates',
  perItemKeysValues('`Links.Attributes`', 'link'),
  'ResourceSchemaUrl, ResourceAttributeTypes, ResourceAttributeAnyValues, ResourceDroppedAttributesCount',
  'ScopeSchemaUrl',
  keysValues('ScopeAttributes', 'scope'),
  'ScopeAttributeTypes, ScopeAttributeAnyValues, ScopeDroppedAttributesCount',
  'Flags, SpanAttributeTypes, SpanAttributeAnyValues',
  'DroppedAttributesCount, DroppedEventsCount, DroppedLinksCount',
  'EventsAttributeTypes, EventsAttributeAnyValues, EventsDroppedAttributesCount',
  'LinksFlags, LinksAttributeTypes, LinksAttributeAnyValues, LinksDroppedAttributesCount',
].join(',\n  ');

export interface SpanRow {
  start: string;
  duration: string;
  TraceId: string;
  SpanId: string;
  ParentSpanId: string;
  TraceState: string;
  SpanName: string;
  SpanKind: string;
  ServiceName: string;
  resourceKeys: string[];
  resourceValues: string[];
  ScopeName: string;
  ScopeVersion: string;
  spanKeys: string[];
  spanValues: string[];
  StatusCode: string;
  StatusMessage: string;
  eventTimes: string[];
  eventNames: string[];
  eventKeys: string[][];
  eventValues: string[][];
  linkTraceIds: string[];
  linkSpanIds: string[];
  linkTraceStates: string[];
  linkKeys: string[][];
  linkValues: string[][];
  ResourceSchemaUrl: string;
  ResourceAttributeTypes: Record<string, string>;
  ResourceAttributeAnyValues: Record<string, string>;
  ResourceDroppedAttributesCount: number;
  ScopeSchemaUrl: string;
  scopeKeys: string[];
  scopeValues: string[];
  ScopeAttributeTypes: Record<string, string>;
  ScopeAttributeAnyValues: Record<string, string>;
  ScopeDroppedAttributesCount: number;
  Flags: number;
  SpanAttributeTypes: Record<string, string>;
  SpanAttributeAnyValues: Record<string, string>;
  DroppedAttributesCount: number;
  DroppedEventsCount: number;
  DroppedLinksCount: number;
  EventsAttributeTypes: Record<string, string>[];
  EventsAttributeAnyValues: Record<string, string>[];
  EventsDroppedAttributesCount: number[];
  LinksFlags: number[];
  LinksAttributeTypes: Record<string, string>[];
  LinksAttributeAnyValues: Record<string, string>[];
  LinksDroppedAttributesCount: number[];
}
