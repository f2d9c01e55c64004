import { ATTRIBUTE_TYPE_ENUM } from '../schema/attribute-types.js';

const STRING_MAP = 'Map(LowCardinality(String), String)';
const TYPE_MAP = `Map(LowCardinality(String), ${ATTRIBUTE_TYPE_ENUM})`;

/**
 * The columns of `otel_traces` that the store writes, in the order encode-span-rows.ts writes
 * them, with Nested groups flattened as the rows carry them. A test checks this list against
 * the migrated table's own `system.columns`, so the two cannot drift apart.
 */
export const SPAN_ROW_COLUMNS: readonly (readonly [name: string, type: string])[] = [
  ['Timestamp', 'DateTime64(9)'],
  ['TraceId', 'String'],
  ['SpanId', 'String'],
  ['ParentSpanId', 'String'],
  ['TraceState', 'String'],
  ['SpanName', 'LowCardinality(String)'],
  ['SpanKind', 'LowCardinality(String)'],
  ['ServiceName', 'LowCardinality(String)'],
  ['ResourceAttributes', STRING_MAP],
  ['ScopeName', 'String'],
  ['ScopeVersion', 'String'],
  ['SpanAttributes', STRING_MAP],
  ['Duration', 'UInt64'],
  ['StatusCode', 'LowCardinality(String)'],
  ['StatusMessage', 'String'],
  ['Events.Timestamp', 'Array(DateTime64(9))'],
  ['Events.Name', 'Array(LowCardinality(String))'],
  ['Events.Attributes', `Array(${STRING_MAP})`],
  ['Links.TraceId', 'Array(String)'],
  ['Links.SpanId', 'Array(String)'],
  ['Links.TraceState', 'Array(String)'],
  ['Links.Attributes', `Array(${STRING_MAP})`],
  ['ResourceSchemaUrl', 'LowCardinality(String)'],
  ['ResourceAttributeTypes', TYPE_MAP],
  ['ResourceAttributeAnyValues', STRING_MAP],
  ['ResourceDroppedAttributesCount', 'UInt32'],
  ['ScopeSchemaUrl', 'LowCardinality(String)'],
  ['ScopeAttributes', STRING_MAP],
  ['ScopeAttributeTypes', TYPE_MAP],
  ['ScopeAttributeAnyValues', STRING_MAP],
  ['ScopeDroppedAttributesCount', 'UInt32'],
  ['Flags', 'UInt32'],
  ['SpanAttributeTypes', TYPE_MAP],
  ['SpanAttributeAnyValues', STRING_MAP],
  ['DroppedAttributesCount', 'UInt32'],
  ['DroppedEventsCount', 'UInt32'],
  ['DroppedLinksCount', 'UInt32'],
  ['EventsAttributeTypes', `Array(${TYPE_MAP})`],
  ['EventsAttributeAnyValues', `Array(${STRING_MAP})`],
  ['EventsDroppedAttributesCount', 'Array(UInt32)'],
  ['LinksFlags', 'Array(UInt32)'],
  ['LinksAttributeTypes', `Array(${TYPE_MAP})`],
  ['LinksAttributeAnyValues', `Array(${STRING_MAP})`],
  ['LinksDroppedAttributesCount', 'Array(UInt32)'],
];

/** `file()`'s structure argument: "`Name` Type, …". */
export const SPAN_ROW_STRUCTURE = SPAN_ROW_COLUMNS.map(([name, type]) => `\`${name}\` ${type}`).join(', ');

/** The INSERT column list, in the same order. */
export const SPAN_ROW_COLUMN_LIST = SPAN_ROW_COLUMNS.map(([name]) => `\`${name}\``).join(', ');
