import type { StoredEntries } from '../rows/attribute-values.js';

/**
 * The SELECT list that reads `otel_traces` rows back for span-row-to-model.ts. 64-bit values
 * leave as strings (JSON numbers would round them); maps whose key order and duplicates matter
 * leave as parallel key and value arrays; the type and exact-value maps, read by key, as objects
 * (and as entries too where a list repeats a key, see ENTRY_FIELDS).
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

/**
 * A list's type and exact-value maps as entries (StoredEntries), only where the type map repeats a
 * key: read as an object, as SPAN_ROW_FIELDS reads it, such a map keeps one entry of the key.
 */
const entries = (types: string, anyValues: string): string =>
  `if(arrayUniq(mapKeys(${types})) = length(${types}), [], ` +
  `[mapKeys(${types}), CAST(mapValues(${types}), 'Array(String)'), mapKeys(${anyValues}), mapValues(${anyValues})])`;
/** Per event or link: `[]` when no item's type map repeats a key, else one StoredEntries an item. */
const perItemEntries = (types: string, anyValues: string): string =>
  `if(arrayExists(m -> arrayUniq(mapKeys(m)) < length(m), ${types}), ` +
  `arrayMap((m, i) -> ${entries('m', `${anyValues}[i]`)}, ${types}, arrayEnumerate(${types})), [])`;

/**
 * Values a read of `otel_traces` adds to SPAN_ROW_FIELDS (after them, so that no stored layout
 * changes): what the type and exact-value maps of lists that repeat a key lose as objects.
 */
const ENTRY_FIELDS: readonly SpanRowField[] = [
  expression('resourceEntries', entries('ResourceAttributeTypes', 'ResourceAttributeAnyValues')),
  expression('scopeEntries', entries('ScopeAttributeTypes', 'ScopeAttributeAnyValues')),
  expression('spanEntries', entries('SpanAttributeTypes', 'SpanAttributeAnyValues')),
  expression('eventEntries', perItemEntries('EventsAttributeTypes', 'EventsAttributeAnyValues')),
  expression('linkEntries', perItemEntries('LinksAttributeTypes', 'LinksAttributeAnyValues')),
];

/** The SELECT list of a read of `otel_traces` (trace-rows-read.ts): SPAN_ROW_FIELDS, then ENTRY_FIELDS. */
export const SPAN_ROW_SELECT = [...SPAN_ROW_FIELDS, ...ENTRY_FIELDS]
  .map(({ name, sql }) => (sql === `\`${name}\`` ? sql : `${sql} AS ${name}`))
  .join(',\n  ');

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
  /*
   * The type and exact-value maps of lists that repeat a key, as entries (StoredEntries): set by a
   * read of `otel_traces` (ENTRY_FIELDS) and by a layout-3 row (span-row-of-model.ts), `[]` for a
   * list whose maps the objects above hold whole; absent from rows of layouts 1 and 2, whose JSON
   * holds only the objects.
   */
  resourceEntries?: StoredEntries;
  scopeEntries?: StoredEntries;
  spanEntries?: StoredEntries;
  /** `[]`, or one StoredEntries an event. */
  eventEntries?: StoredEntries[];
  /** `[]`, or one StoredEntries a link. */
  linkEntries?: StoredEntries[];
}
