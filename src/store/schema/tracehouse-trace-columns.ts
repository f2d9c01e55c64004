import { ATTRIBUTE_TYPE_ENUM } from './attribute-types.js';
import type { ColumnDef } from './table-parts.js';

/**
 * Tracehouse's columns on `otel_traces`, after all of the collector's, so that a span reads back
 * exactly as it was sent (see attribute-types.ts for the `…Types` / `…AnyValues` rule). Every one
 * defaults to the value that means "nothing special" (0, '', empty map or array), so rows the
 * collector writes are valid as they are, and our rows pay only for what a span really carries.
 *
 * Per-event and per-link columns are plain arrays (not part of the `Events`/`Links` Nested
 * groups, which the collector inserts without them): each is either empty — every event/link has
 * the default — or has exactly one element per event/link, in the same order.
 */

const ZSTD = 'ZSTD(1)';
const TYPE_MAP = `Map(LowCardinality(String), ${ATTRIBUTE_TYPE_ENUM})`;
const STRING_MAP = 'Map(LowCardinality(String), String)';

function attributeExtras(prefix: string): ColumnDef[] {
  return [
    { name: `${prefix}AttributeTypes`, type: TYPE_MAP, codec: ZSTD },
    { name: `${prefix}AttributeAnyValues`, type: STRING_MAP, codec: ZSTD },
  ];
}

function perItemAttributeExtras(prefix: string): ColumnDef[] {
  return [
    { name: `${prefix}AttributeTypes`, type: `Array(${TYPE_MAP})`, codec: ZSTD },
    { name: `${prefix}AttributeAnyValues`, type: `Array(${STRING_MAP})`, codec: ZSTD },
    { name: `${prefix}DroppedAttributesCount`, type: 'Array(UInt32)', codec: ZSTD },
  ];
}

/** FROZEN as migration 2 adds them; a change is a new migration. */
export const TRACEHOUSE_TRACE_COLUMNS: readonly ColumnDef[] = [
  // Resource: the collector keeps only its attributes (as strings).
  { name: 'ResourceSchemaUrl', type: 'LowCardinality(String)', codec: ZSTD },
  ...attributeExtras('Resource'),
  { name: 'ResourceDroppedAttributesCount', type: 'UInt32', codec: ZSTD },
  // Scope: the collector keeps only name and version.
  { name: 'ScopeSchemaUrl', type: 'LowCardinality(String)', codec: ZSTD },
  { name: 'ScopeAttributes', type: STRING_MAP, codec: ZSTD },
  ...attributeExtras('Scope'),
  { name: 'ScopeDroppedAttributesCount', type: 'UInt32', codec: ZSTD },
  // Span: W3C trace flags in the low byte, OTLP SpanFlags context bits above (OTLP `Span.flags`).
  { name: 'Flags', type: 'UInt32', codec: ZSTD },
  ...attributeExtras('Span'),
  { name: 'DroppedAttributesCount', type: 'UInt32', codec: ZSTD },
  { name: 'DroppedEventsCount', type: 'UInt32', codec: ZSTD },
  { name: 'DroppedLinksCount', type: 'UInt32', codec: ZSTD },
  ...perItemAttributeExtras('Events'),
  { name: 'LinksFlags', type: 'Array(UInt32)', codec: ZSTD },
  ...perItemAttributeExtras('Links'),
];
