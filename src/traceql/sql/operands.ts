import type { AttributeScope, FieldExpression, Intrinsic, Position, StaticValue } from '../ast.js';
import { unsupported } from './query-error.js';
import type { SqlParams } from './sql-params.js';

/**
 * What a TraceQL field is in SQL over one `otel_traces` row.
 *
 * Attributes are dynamically typed: the collector's schema keeps every value as a string in a
 * map, and Tracehouse's `…AttributeTypes` map beside it names the OTLP type of each non-string
 * value (schema/attribute-types.ts). So an attribute operand carries three expressions — does the
 * key exist, what is its type, what is its text — and the comparison decides how to read it.
 * Intrinsics have one static type each.
 */
export type Operand =
  | { readonly kind: 'attribute'; readonly ref: AttributeRef; readonly position: Position }
  | {
      readonly kind: 'typed';
      readonly type: ValueType;
      readonly sql: string;
      readonly position: Position;
      /** A string literal's own text, for index hints built from it. */
      readonly text?: string;
    }
  | { readonly kind: 'nil'; readonly position: Position };

export type ValueType = 'string' | 'int' | 'float' | 'bool' | 'duration' | 'status' | 'kind';

/** Per-event and per-link values are read inside `arrayExists` over that collection. */
export type Collection = 'event' | 'link';

export interface AttributeRef {
  /** 1 when the key is present. */
  readonly exists: string;
  /** The stored OTLP type name ('string' for an absent key, as the enum default). */
  readonly type: string;
  /** The stored text. */
  readonly text: string;
  readonly collection: Collection | undefined;
  /** The span's `ServiceName` column: the sort key, so `resource.service.name` compares on it. */
  readonly serviceNameColumn: boolean;
  /**
   * The exporter's `key=value` items column of this map (an ALIAS its text index covers), and the
   * key: `has(items, 'key=value')` lets ClickHouse skip granules for string equality.
   */
  readonly items?: { readonly column: string; readonly key: string };
}

/** The lambda variable that indexes the event or link being tested. */
export const COLLECTION_INDEX: Record<Collection, string> = { event: 'ev_i', link: 'ln_i' };
/** The array whose indexes `arrayExists` walks for a collection. */
export const COLLECTION_ARRAY: Record<Collection, string> = {
  event: '`Events.Name`',
  link: '`Links.TraceId`',
};

const MAPS: Record<Exclude<AttributeScope, 'none'>, { values: string; types: string }> = {
  span: { values: 'SpanAttributes', types: 'SpanAttributeTypes' },
  resource: { values: 'ResourceAttributes', types: 'ResourceAttributeTypes' },
  instrumentation: { values: 'ScopeAttributes', types: 'ScopeAttributeTypes' },
  event: {
    values: `\`Events.Attributes\`[${COLLECTION_INDEX.event}]`,
    types: `EventsAttributeTypes[${COLLECTION_INDEX.event}]`,
  },
  link: {
    values: `\`Links.Attributes\`[${COLLECTION_INDEX.link}]`,
    types: `LinksAttributeTypes[${COLLECTION_INDEX.link}]`,
  },
};

/** The collector schema's `key=value` ALIAS columns, which its text (or bloom) indexes cover. */
const ITEMS_COLUMNS: Partial<Record<AttributeScope, string>> = {
  span: 'SpanAttributeItems',
  resource: 'ResourceAttributeItems',
};

/** A scoped attribute as SQL. `none` (unscoped) is resolved by the caller into span OR resource. */
export function attributeRef(
  scope: Exclude<AttributeScope, 'none'>,
  name: string,
  params: SqlParams,
): AttributeRef {
  if (scope === 'resource' && name === 'service.name') {
    return {
      exists: "ServiceName != ''",
      type: "'string'",
      text: 'ServiceName',
      collection: undefined,
      serviceNameColumn: true,
    };
  }
  const { values, types } = MAPS[scope];
  const key = params.string(name);
  const itemsColumn = ITEMS_COLUMNS[scope];
  return {
    exists: `mapContains(${values}, ${key})`,
    type: `toString(${types}[${key}])`,
    text: `${values}[${key}]`,
    collection: scope === 'event' || scope === 'link' ? scope : undefined,
    serviceNameColumn: false,
    ...(itemsColumn ? { items: { column: itemsColumn, key: name } } : {}),
  };
}

/** The trace-level columns the search query joins in when a query uses them (see search SQL). */
export const TRACE_INFO_COLUMNS = {
  rootName: 'trace_info.rootName',
  rootServiceName: 'trace_info.rootServiceName',
  traceDuration: 'trace_info.traceDuration',
} as const;

/** Which of a query's intrinsics need the per-trace join. */
export function isTraceLevel(name: Intrinsic): name is keyof typeof TRACE_INFO_COLUMNS {
  return name === 'rootName' || name === 'rootServiceName' || name === 'traceDuration';
}

interface IntrinsicSql {
  readonly type: ValueType;
  readonly sql: string;
  readonly collection?: Collection;
}

const INTRINSICS: Partial<Record<Intrinsic, IntrinsicSql>> = {
  name: { type: 'string', sql: 'SpanName' },
  status: { type: 'status', sql: 'StatusCode' },
  statusMessage: { type: 'string', sql: 'StatusMessage' },
  kind: { type: 'kind', sql: 'SpanKind' },
  duration: { type: 'duration', sql: 'Duration' },
  rootName: { type: 'string', sql: TRACE_INFO_COLUMNS.rootName },
  rootServiceName: { type: 'string', sql: TRACE_INFO_COLUMNS.rootServiceName },
  traceDuration: { type: 'duration', sql: TRACE_INFO_COLUMNS.traceDuration },
  'span:id': { type: 'string', sql: 'SpanId' },
  'trace:id': { type: 'string', sql: 'TraceId' },
  'span:parentID': { type: 'string', sql: 'ParentSpanId' },
  'instrumentation:name': { type: 'string', sql: 'ScopeName' },
  'instrumentation:version': { type: 'string', sql: 'ScopeVersion' },
  'event:name': { type: 'string', sql: `\`Events.Name\`[${COLLECTION_INDEX.event}]`, collection: 'event' },
  'event:timeSinceStart': {
    type: 'duration',
    sql: `(toUnixTimestamp64Nano(\`Events.Timestamp\`[${COLLECTION_INDEX.event}]) - toUnixTimestamp64Nano(Timestamp))`,
    collection: 'event',
  },
  'link:traceID': { type: 'string', sql: `\`Links.TraceId\`[${COLLECTION_INDEX.link}]`, collection: 'link' },
  'link:spanID': { type: 'string', sql: `\`Links.SpanId\`[${COLLECTION_INDEX.link}]`, collection: 'link' },
};

export function intrinsicSql(name: Intrinsic, position: Position): IntrinsicSql {
  const found = INTRINSICS[name];
  if (!found) throw unsupported(`the intrinsic '${name}'`, position);
  return found;
}

/** Binds a literal with the type its comparison needs. */
export function staticOperand(value: StaticValue, position: Position, params: SqlParams): Operand {
  switch (value.type) {
    case 'nil':
      return { kind: 'nil', position };
    case 'string':
      return { kind: 'typed', type: 'string', sql: params.string(value.value), position, text: value.value };
    case 'int':
      return { kind: 'typed', type: 'int', sql: params.bind(value.value, 'Int64'), position };
    case 'float':
      return { kind: 'typed', type: 'float', sql: params.bind(value.value, 'Float64'), position };
    case 'bool':
      return { kind: 'typed', type: 'bool', sql: value.value ? 'true' : 'false', position };
    case 'duration':
      return { kind: 'typed', type: 'duration', sql: params.bind(value.nanos, 'Int64'), position };
    case 'status':
      return { kind: 'typed', type: 'status', sql: params.string(value.value), position };
    case 'kind':
      return { kind: 'typed', type: 'kind', sql: params.string(value.value), position };
  }
}

/** Field expressions that are plain operands (not arithmetic or logic). */
export function isOperandField(field: FieldExpression): boolean {
  return field.kind === 'static' || field.kind === 'intrinsic' || field.kind === 'attribute';
}
