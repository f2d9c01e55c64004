import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ResourceSpans, ScopeSpans, Span, TracesData } from '../../model/span.js';
import { attributesFromColumns } from '../rows/attribute-values.js';
import { ResourceScopeGroups } from './resource-scope-groups.js';
import { spanKindOf, statusCodeOf } from './span-row-codes.js';
import type { SpanRow } from './span-row-select.js';
import { ROWS_PER_SLICE } from './trace-span-rows.js';

/**
 * Turns stored rows back into the model, grouping spans under identical resources and scopes as
 * an OTLP sender would. Rows written by the OpenTelemetry Collector (no Tracehouse columns set)
 * read back with string attributes, as the collector stored them. A slice of rows at a time,
 * with event-loop turns between (see parseTraceSpanRows).
 */
export async function spanRowsToModel(rows: readonly SpanRow[]): Promise<TracesData> {
  const builder = new TraceModelBuilder();
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && i % ROWS_PER_SLICE === 0) await nextTurn();
    builder.add(rows[i]);
  }
  return builder.result();
}

class TraceModelBuilder {
  private readonly resources: ResourceSpans[] = [];
  private readonly groups = new ResourceScopeGroups<ResourceSpans, ScopeSpans>(
    (row) => {
      const rs: ResourceSpans = {
        resource: {
          attributes: attributesFromColumns(
            row.resourceKeys,
            row.resourceValues,
            row.ResourceAttributeTypes,
            row.ResourceAttributeAnyValues,
            row.resourceEntries,
          ),
          droppedAttributesCount: row.ResourceDroppedAttributesCount,
        },
        scopeSpans: [],
        schemaUrl: row.ResourceSchemaUrl,
      };
      this.resources.push(rs);
      return rs;
    },
    (row, rs) => {
      const ss: ScopeSpans = {
        scope: {
          name: row.ScopeName,
          version: row.ScopeVersion,
          attributes: attributesFromColumns(
            row.scopeKeys,
            row.scopeValues,
            row.ScopeAttributeTypes,
            row.ScopeAttributeAnyValues,
            row.scopeEntries,
          ),
          droppedAttributesCount: row.ScopeDroppedAttributesCount,
        },
        spans: [],
        schemaUrl: row.ScopeSchemaUrl,
      };
      rs.scopeSpans.push(ss);
      return ss;
    },
  );

  add(row: SpanRow): void {
    this.groups.scopeOf(row).spans.push(spanFromRow(row));
  }

  result(): TracesData {
    return this.resources;
  }
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
    kind: spanKindOf(row.SpanKind),
    startTimeUnixNano: start,
    endTimeUnixNano: start + BigInt(row.duration),
    attributes: attributesFromColumns(
      row.spanKeys,
      row.spanValues,
      row.SpanAttributeTypes,
      row.SpanAttributeAnyValues,
      row.spanEntries,
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
        row.eventEntries?.[i],
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
        row.linkEntries?.[i],
      ),
      droppedAttributesCount: row.LinksDroppedAttributesCount[i] ?? 0,
      flags: row.LinksFlags[i] ?? 0,
    })),
    droppedLinksCount: row.DroppedLinksCount,
    status: {
      code: statusCodeOf(row.StatusCode),
      message: row.StatusMessage,
    },
  };
}
