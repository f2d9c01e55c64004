import type { ResourceSpans, Span, SpanKind, StatusCode, TracesData } from '../../model/span.js';
import { attributesFromColumns } from '../rows/attribute-values.js';
import type { SpanRow } from './span-row-select.js';

const SPAN_KINDS: Record<string, SpanKind> = {
  Unspecified: 0,
  Internal: 1,
  Server: 2,
  Client: 3,
  Producer: 4,
  Consumer: 5,
};
const STATUS_CODES: Record<string, StatusCode> = { Unset: 0, Ok: 1, Error: 2 };

/**
 * Turns stored rows back into the model, grouping spans under identical resources and scopes as
 * an OTLP sender would. Rows written by the OpenTelemetry Collector (no Tracehouse columns set)
 * read back with string attributes, as the collector stored them.
 */
export function spanRowsToModel(rows: readonly SpanRow[]): TracesData {
  const resources = new Map<string, ResourceSpans>();
  const scopes = new Map<string, ResourceSpans['scopeSpans'][number]>();
  for (const row of rows) {
    const resource = {
      attributes: attributesFromColumns(
        row.resourceKeys,
        row.resourceValues,
        row.ResourceAttributeTypes,
        row.ResourceAttributeAnyValues,
      ),
      droppedAttributesCount: row.ResourceDroppedAttributesCount,
    };
    const resourceKey = JSON.stringify([
      row.resourceKeys,
      row.resourceValues,
      row.ResourceAttributeTypes,
      row.ResourceSchemaUrl,
      row.ResourceDroppedAttributesCount,
    ]);
    let rs = resources.get(resourceKey);
    if (!rs) {
      rs = { resource, scopeSpans: [], schemaUrl: row.ResourceSchemaUrl };
      resources.set(resourceKey, rs);
    }
    const scopeKey = JSON.stringify([
      resourceKey,
      row.ScopeName,
      row.ScopeVersion,
      row.scopeKeys,
      row.scopeValues,
      row.ScopeAttributeTypes,
      row.ScopeSchemaUrl,
      row.ScopeDroppedAttributesCount,
    ]);
    let ss = scopes.get(scopeKey);
    if (!ss) {
      ss = {
        scope: {
          name: row.ScopeName,
          version: row.ScopeVersion,
          attributes: attributesFromColumns(
            row.scopeKeys,
            row.scopeValues,
            row.ScopeAttributeTypes,
            row.ScopeAttributeAnyValues,
          ),
          droppedAttributesCount: row.ScopeDroppedAttributesCount,
        },
        spans: [],
        schemaUrl: row.ScopeSchemaUrl,
      };
      scopes.set(scopeKey, ss);
      rs.scopeSpans.push(ss);
    }
    ss.spans.push(spanFromRow(row));
  }
  return [...resources.values()];
}

function spanFromRow(row: SpanRow): Span {
  const start = BigInt(row.start);
  return {
    traceId: row.TraceId,
    spanId: row.SpanId,
    traceState: row.TraceState,
    parentSpanId: row.ParentSpanId,
    flags: row.Flags,
    name: row.SpanName,
    kind: SPAN_KINDS[row.SpanKind] ?? kindFromCollectorLegacy(row.SpanKind),
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(row.duration),
    attributes: attributesFromColumns(
      row.spanKeys,
      row.spanValues,
      row.SpanAttributeTypes,
      row.SpanAttributeAnyValues,
    ),
    droppedAttributesCount: row.DroppedAttributesCount,
    events: row.eventTimes.map((time, i) => ({
      timeUnixNano: BigInt(time),
      name: row.eventNames[i],
      attributes: attributesFromColumns(
        row.eventKeys[i],
        row.eventValues[i],
        row.EventsAttributeTypes[i] ?? {},
        row.EventsAttributeAnyValues[i] ?? {},
      ),
      droppedAttributesCount: row.EventsDroppedAttributesCount[i] ?? 0,
    })),
    droppedEventsCount: row.DroppedEventsCount,
    links: row.linkTraceIds.map((traceId, i) => ({
      traceId,
      spanId: row.linkSpanIds[i],
      traceState: row.linkTraceStates[i],
      attributes: attributesFromColumns(
        row.linkKeys[i],
        row.linkValues[i],
        row.LinksAttributeTypes[i] ?? {},
        row.LinksAttributeAnyValues[i] ?? {},
      ),
      droppedAttributesCount: row.LinksDroppedAttributesCount[i] ?? 0,
      flags: row.LinksFlags[i] ?? 0,
    })),
    droppedLinksCount: row.DroppedLinksCount,
    status: {
      code: STATUS_CODES[row.StatusCode] ?? statusFromCollectorLegacy(row.StatusCode),
      message: row.StatusMessage,
    },
  };
}

/** Older collector exporters wrote `SPAN_KIND_SERVER` and `STATUS_CODE_ERROR`. */
function kindFromCollectorLegacy(name: string): SpanKind {
  return SPAN_KINDS[legacyName(name, 'SPAN_KIND_')] ?? 0;
}

function statusFromCollectorLegacy(name: string): StatusCode {
  return STATUS_CODES[legacyName(name, 'STATUS_CODE_')] ?? 0;
}

function legacyName(name: string, prefix: string): string {
  if (!name.startsWith(prefix)) return name;
  const rest = name.slice(prefix.length).toLowerCase();
  return rest.charAt(0).toUpperCase() + rest.slice(1);
}
