/**
 * The SELECT list that reads `otel_traces` rows back for span-row-to-model.ts. 64-bit values
 * leave as strings (JSON numbers would round them); maps whose key order and duplicates matter
 * leave as parallel key and value arrays; the type and exact-value maps, read by key, as objects.
 */

/** One value of the SELECT list: the key it reads into and the expression computing it. */
export interface SpanRowField {
  readonly name: keyof SpanRow;
  readonly sql: string;
}

const column = (name: keyof SpanRow): SpanRowField => ({ name, sql: `\`${name}\`` });
const expression = (name: keyof SpanRow, sql: string): SpanRowField => ({ name, sql });
const keysValues = (source: string, alias: string): SpanRowField[] => [
  expression(`${alias}Keys` as keyof SpanRow, `mapKeys(${source})`),
  expression(`${alias}Values` as keyof SpanRow, `mapValues(${source})`),
];
const perItemKeysValues = (source: string, alias: string): SpanRowField[] => [
  expression(`${alias}Keys` as keyof SpanRow, `arrayMap(m -> mapKeys(m), ${source})`),
  expression(`${alias}Values` as keyof SpanRow, `arrayMap(m -> mapValues(m), ${source})`),
];

/**
 * Every SpanRow value in a fixed order. The order is also the layout of the rows the trace-spans
 * view stores (trace-spans-schema.ts): appending or reordering here changes that stored layout,
 * which needs a new layout version there.
 */
export const SPAN_ROW_FIELDS: readonly SpanRowField[] = [
  expression('start', 'toString(toUnixTimestamp64Nano(Timestamp))'),
  expression('duration', 'toString(Duration)'),
  ...(
    ['TraceId', 'SpanId', 'ParentSpanId', 'TraceState', 'SpanName', 'SpanKind', 'ServiceName'] as const
  ).map(column),
  ...keysValues('ResourceAttributes', 'resource'),
  column('ScopeName'),
  column('ScopeVersion'),
  ...keysValues('SpanAttributes', 'span'),
  column('StatusCode'),
  column('StatusMessage'),
  expression('eventTimes', 'arrayMap(t -> toString(toUnixTimestamp64Nano(t)), `Events.Timestamp`)'),
  expression('eventNames', '`Events.Name`'),
  ...perItemKeysValues('`Events.Attributes`', 'event'),
  expression('linkTraceIds', '`Links.TraceId`'),
  expression('linkSpanIds', '`Links.SpanId`'),
  expression('linkTraceStates', '`Links.TraceState`'),
  ...perItemKeysValues('`Links.Attributes`', 'link'),
  ...(
    [
      'ResourceSchemaUrl',
      'ResourceAttributeTypes',
      'ResourceAttributeAnyValues',
      'ResourceDroppedAttributesCount',
      'ScopeSchemaUrl',
    ] as const
  ).map(column),
  ...keysValues('ScopeAttributes', 'scope'),
  ...(
    [
      'ScopeAttributeTypes',
      'ScopeAttributeAnyValues',
      'ScopeDroppedAttributesCount',
      'Flags',
      'SpanAttributeTypes',
      'SpanAttributeAnyValues',
      'DroppedAttributesCount',
      'DroppedEventsCount',
      'DroppedLinksCount',
      'EventsAttributeTypes',
      'EventsAttributeAnyValues',
      'EventsDroppedAttributesCount',
      'LinksFlags',
      'LinksAttributeTypes',
      'LinksAttributeAnyValues',
      'LinksDroppedAttributesCount',
    ] as const
  ).map(column),
];

export const SPAN_ROW_SELECT = SPAN_ROW_FIELDS.map(({ name, sql }) =>
  sql === `\`${name}\`` ? sql : `${sql} AS ${name}`,
).join(',\n  ');

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
