import type { NativeBlock, NativeColumnData } from '../native/native-reader.js';
import {
  ArrayColumnData,
  DictionaryColumn,
  Int64Column,
  MapColumnData,
  NativeFormatError,
} from '../native/native-reader.js';

/**
 * The SELECT list that reads a trace's spans as Native columns (span-columns sinks, e.g. the UI's
 * compact form), and the typed view of each block it returns. Every text column whose values
 * repeat is sent as LowCardinality, so JavaScript makes one string per distinct value a block;
 * times are split at the second in ClickHouse (nanoseconds since 1970 do not fit a double); the
 * resource and the scope of each row come with a hash of everything that tells them apart, so a
 * reader groups rows without comparing their maps.
 */

const LC = 'LowCardinality(String)';
const LC_MAP = `Map(${LC}, ${LC})`;
const seconds = (time: string): string => `intDiv(toUnixTimestamp64Nano(${time}), 1000000000)`;
const nanos = (time: string): string => `toInt32(toUnixTimestamp64Nano(${time}) % 1000000000)`;
const lcMap = (map: string): string => `CAST(${map}, '${LC_MAP}')`;

const RESOURCE_FIELDS = 'ResourceAttributes, ResourceAttributeTypes, ResourceAttributeAnyValues';
const SCOPE_FIELDS = 'ScopeName, ScopeVersion, ScopeAttributes, ScopeAttributeTypes, ScopeAttributeAnyValues';
/** A stored per-event or per-link array's item `i`: its default when the array is empty (all default). */
const item = (column: string): string => `${column}[i]`;

const SELECT: readonly (readonly [name: string, sql: string])[] = [
  ['spanId', 'SpanId'],
  ['parentId', 'ParentSpanId'],
  ['startSeconds', seconds('Timestamp')],
  ['startNanos', nanos('Timestamp')],
  ['duration', 'Duration'],
  ['name', `toLowCardinality(SpanName)`],
  ['kind', `toLowCardinality(SpanKind)`],
  ['statusCode', `toLowCardinality(StatusCode)`],
  ['statusMessage', 'toLowCardinality(StatusMessage)'],
  ['traceState', 'toLowCardinality(TraceState)'],
  ['attributes', lcMap('SpanAttributes')],
  ['attributeTypes', lcMap('SpanAttributeTypes')],
  ['attributeAnyValues', 'SpanAttributeAnyValues'],
  ['scopeKey', `cityHash64(${RESOURCE_FIELDS}, ${SCOPE_FIELDS})`],
  // Events and links as one array of tuples each: one offsets stream a row instead of six, for
  // the most spans, which have neither.
  [
    'events',
    `arrayMap(i -> tuple(${seconds(item('`Events.Timestamp`'))}, ${nanos(item('`Events.Timestamp`'))}, ` +
      `toLowCardinality(${item('`Events.Name`')}), ${lcMap(item('`Events.Attributes`'))}, ` +
      `${lcMap(item('EventsAttributeTypes'))}, ${item('EventsAttributeAnyValues')}), arrayEnumerate(\`Events.Timestamp\`))`,
  ],
  [
    'links',
    `arrayMap(i -> tuple(${item('`Links.TraceId`')}, ${item('`Links.SpanId`')}, ${item('`Links.TraceState`')}, ` +
      `${lcMap(item('`Links.Attributes`'))}, ${lcMap(item('LinksAttributeTypes'))}, ${item('LinksAttributeAnyValues')}), ` +
      'arrayEnumerate(`Links.TraceId`))',
  ],
];

export const SPAN_COLUMN_SELECT = SELECT.map(([name, sql]) => `${sql} AS ${name}`).join(',\n  ');

/**
 * The trace's resources and scopes, one row for each scopeKey of SPAN_COLUMN_SELECT: read apart
 * so that the span blocks do not carry eight maps a row that a trace repeats on every span.
 */
export const SCOPE_COLUMN_SELECT = [
  `cityHash64(${RESOURCE_FIELDS}, ${SCOPE_FIELDS}) AS scopeKey`,
  `any(cityHash64(${RESOURCE_FIELDS})) AS resourceKey`,
  `any(${lcMap('ResourceAttributes')}) AS resourceAttributes`,
  `any(${lcMap('ResourceAttributeTypes')}) AS resourceAttributeTypes`,
  'any(ResourceAttributeAnyValues) AS resourceAttributeAnyValues',
  'any(ScopeName) AS scopeName',
  'any(ScopeVersion) AS scopeVersion',
  `any(${lcMap('ScopeAttributes')}) AS scopeAttributes`,
  `any(${lcMap('ScopeAttributeTypes')}) AS scopeAttributeTypes`,
  'any(ScopeAttributeAnyValues) AS scopeAttributeAnyValues',
].join(',\n  ');
export const SCOPE_COLUMN_GROUP_BY = 'scopeKey';

/** One Native block of SPAN_COLUMN_SELECT's columns, typed. */
export interface SpanColumns {
  readonly rows: number;
  readonly spanId: readonly string[];
  readonly parentId: readonly string[];
  readonly startSeconds: Int64Column;
  readonly startNanos: Int32Array;
  readonly duration: Int64Column;
  readonly name: DictionaryColumn;
  readonly kind: DictionaryColumn;
  readonly statusCode: DictionaryColumn;
  readonly statusMessage: DictionaryColumn;
  readonly traceState: DictionaryColumn;
  /** Keys and values: DictionaryColumn. */
  readonly attributes: MapColumnData;
  /** Keys and values (type names): DictionaryColumn. */
  readonly attributeTypes: MapColumnData;
  /** Keys: DictionaryColumn; values: string[]. */
  readonly attributeAnyValues: MapColumnData;
  /** The resource and scope: a key of ScopeColumns' `scopeKey`. */
  readonly scopeKey: Int64Column;
  /**
   * Items: TupleColumnData of (seconds Int64Column, nanos Int32Array, name DictionaryColumn,
   * attributes, attribute types, attribute exact values) like the span's three maps.
   */
  readonly events: ArrayColumnData;
  /** Items: TupleColumnData of (trace id, span id, trace state: string[], then three maps). */
  readonly links: ArrayColumnData;
}

/** One Native block of SCOPE_COLUMN_SELECT's columns, typed. */
export interface ScopeColumns {
  readonly rows: number;
  readonly scopeKey: Int64Column;
  readonly resourceKey: Int64Column;
  readonly resourceAttributes: MapColumnData;
  readonly resourceAttributeTypes: MapColumnData;
  readonly resourceAttributeAnyValues: MapColumnData;
  readonly scopeName: readonly string[];
  readonly scopeVersion: readonly string[];
  readonly scopeAttributes: MapColumnData;
  readonly scopeAttributeTypes: MapColumnData;
  readonly scopeAttributeAnyValues: MapColumnData;
}

type Kind = 'strings' | 'int32' | 'int64' | 'dictionary' | 'map' | 'array';

const SPAN_KINDS: Record<Exclude<keyof SpanColumns, 'rows'>, Kind> = {
  spanId: 'strings',
  parentId: 'strings',
  startSeconds: 'int64',
  startNanos: 'int32',
  duration: 'int64',
  name: 'dictionary',
  kind: 'dictionary',
  statusCode: 'dictionary',
  statusMessage: 'dictionary',
  traceState: 'dictionary',
  attributes: 'map',
  attributeTypes: 'map',
  attributeAnyValues: 'map',
  scopeKey: 'int64',
  events: 'array',
  links: 'array',
};

const SCOPE_KINDS: Record<Exclude<keyof ScopeColumns, 'rows'>, Kind> = {
  scopeKey: 'int64',
  resourceKey: 'int64',
  resourceAttributes: 'map',
  resourceAttributeTypes: 'map',
  resourceAttributeAnyValues: 'map',
  scopeName: 'strings',
  scopeVersion: 'strings',
  scopeAttributes: 'map',
  scopeAttributeTypes: 'map',
  scopeAttributeAnyValues: 'map',
};

function isKind(data: NativeColumnData, kind: Kind): boolean {
  switch (kind) {
    case 'strings':
      return Array.isArray(data);
    case 'int32':
      return data instanceof Int32Array;
    case 'int64':
      return data instanceof Int64Column;
    case 'dictionary':
      return data instanceof DictionaryColumn;
    case 'map':
      return data instanceof MapColumnData;
    case 'array':
      return data instanceof ArrayColumnData;
  }
}

/** The block as SpanColumns, after checking every column is there with the expected shape. */
export function spanColumnsOf(block: NativeBlock): SpanColumns {
  return typed<SpanColumns>(block, SPAN_KINDS);
}

/** The block as ScopeColumns, checked likewise. */
export function scopeColumnsOf(block: NativeBlock): ScopeColumns {
  return typed<ScopeColumns>(block, SCOPE_KINDS);
}

function typed<Columns>(block: NativeBlock, kinds: Record<string, Kind>): Columns {
  const out: Record<string, unknown> = { rows: block.rows };
  for (const [name, kind] of Object.entries(kinds)) {
    const column = block.columns.get(name);
    if (column === undefined || !isKind(column.data, kind))
      throw new NativeFormatError(
        `trace columns: ${name} missing or not ${kind} (${column?.type ?? 'absent'})`,
      );
    out[name] = column.data;
  }
  return out as Columns;
}

/** A map's entries of one row as an object (the stored type and exact-value maps are read by key). */
export function mapRecord(map: MapColumnData, row: number): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = map.keys;
  const values = map.values;
  for (let i = map.start(row); i < map.end(row); i++) out[textAt(keys, i)] = textAt(values, i);
  return out;
}

/** The text at `i` of a String or LowCardinality(String) column. */
export function textAt(column: NativeColumnData, i: number): string {
  if (column instanceof DictionaryColumn) return column.at(i);
  if (Array.isArray(column)) return column[i];
  throw new NativeFormatError('not a text column');
}
