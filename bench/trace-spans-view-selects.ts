import type { JsonValueKind } from './json-values-sql.js';
import { jsonValueSql } from './json-values-sql.js';
import { TRACE_SPANS_VIEW_SELECT, layout2Row } from '../src/store/schema/trace-spans-schema.js';

/** What each value of layout 2 is, for writing it without toJSONString (json-values-sql.ts). */
const LAYOUT_2_KINDS: Readonly<Record<string, JsonValueKind>> = {
  start: 'digits',
  duration: 'digits',
  SpanId: 'string',
  ParentSpanId: 'string',
  TraceState: 'string',
  SpanName: 'string',
  SpanKind: 'string',
  ServiceName: 'string',
  resourceKeys: 'strings',
  resourceValues: 'strings',
  ScopeName: 'string',
  ScopeVersion: 'string',
  spanKeys: 'strings',
  spanValues: 'strings',
  StatusCode: 'string',
  StatusMessage: 'string',
  Flags: 'number',
  SpanAttributeTypes: 'enumMap',
  // Values that are JSON themselves (attributes of array and map types) always need escaping.
  SpanAttributeAnyValues: 'json',
  DroppedAttributesCount: 'number',
  DroppedEventsCount: 'number',
  DroppedLinksCount: 'number',
  // The events, links and resource-and-scope groups (most spans have none) stay toJSONString.
};

/**
 * SELECTs the JSON trace-spans view can run, for engine-insert-probe.ts to compare at insert
 * (a case names one; the migrated schema's own otherwise). Both write layout 2: the same values.
 */
export const TRACE_SPANS_VIEW_SELECTS = {
  /** The schema's: every value through toJSONString. */
  toJSONString: TRACE_SPANS_VIEW_SELECT,
  /** Plain concatenation where the text needs no escaping. */
  'plain when clean': `TraceId, Timestamp, ${layout2Row((name, sql) =>
    jsonValueSql(LAYOUT_2_KINDS[name] ?? 'json', sql),
  )} AS Span`,
} as const;

export type TraceSpansViewSelect = keyof typeof TRACE_SPANS_VIEW_SELECTS;
