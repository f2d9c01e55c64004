import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ResourceSpans, ScopeSpans, Span, SpanKind, StatusCode, TracesData } from '../../model/span.js';
import { attributesFromColumns } from '../rows/attribute-values.js';
import type { SpanRow } from './span-row-select.js';
import { ROWS_PER_SLICE } from './trace-span-rows.js';

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
  private readonly resources = new Map<string, ResourceSpans>();
  private readonly scopes = new Map<string, ScopeSpans>();
  /** A row of each resource-and-scope met, most recent first, with where its spans go. */
  private readonly recent: { row: SpanRow; scopeSpans: ScopeSpans }[] = [];

  add(row: SpanRow): void {
    // A trace has a handful of resources and scopes, and its rows come interleaved: comparing a
    // row with one row of each seen so far spares building two JSON keys a row (~10 µs).
    let ss: ScopeSpans | undefined;
    for (let i = 0; i < this.recent.length; i++) {
      const seen = this.recent[i];
      if (sameResourceAndScope(seen.row, row)) {
        ss = seen.scopeSpans;
        if (i > 0) {
          this.recent.splice(i, 1);
          this.recent.unshift(seen);
        }
        break;
      }
    }
    if (ss === undefined) {
      ss = scopeSpansOf(row, this.resources, this.scopes);
      this.recent.unshift({ row, scopeSpans: ss });
      if (this.recent.length > MAX_RECENT) this.recent.pop();
    }
    ss.spans.push(spanFromRow(row));
  }

  result(): TracesData {
    return [...this.resources.values()];
  }
}

/** Past this many resource-and-scope pairs in one trace, rarer ones go through their keys. */
const MAX_RECENT = 32;

function scopeSpansOf(
  row: SpanRow,
  resources: Map<string, ResourceSpans>,
  scopes: Map<string, ScopeSpans>,
): ScopeSpans {
  const resourceKey = JSON.stringify([
    row.resourceKeys,
    row.resourceValues,
    row.ResourceAttributeTypes,
    row.ResourceSchemaUrl,
    row.ResourceDroppedAttributesCount,
  ]);
  let rs = resources.get(resourceKey);
  if (!rs) {
    const attributes = attributesFromColumns(
      row.resourceKeys,
      row.resourceValues,
      row.ResourceAttributeTypes,
      row.ResourceAttributeAnyValues,
    );
    rs = {
      resource: { attributes, droppedAttributesCount: row.ResourceDroppedAttributesCount },
      scopeSpans: [],
      schemaUrl: row.ResourceSchemaUrl,
    };
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
  return ss;
}

/** Exactly the fields the two keys above are made of. */
function sameResourceAndScope(a: SpanRow, b: SpanRow): boolean {
  return (
    a.ResourceSchemaUrl === b.ResourceSchemaUrl &&
    a.ResourceDroppedAttributesCount === b.ResourceDroppedAttributesCount &&
    a.ScopeName === b.ScopeName &&
    a.ScopeVersion === b.ScopeVersion &&
    a.ScopeSchemaUrl === b.ScopeSchemaUrl &&
    a.ScopeDroppedAttributesCount === b.ScopeDroppedAttributesCount &&
    sameStrings(a.resourceKeys, b.resourceKeys) &&
    sameStrings(a.resourceValues, b.resourceValues) &&
    sameMap(a.ResourceAttributeTypes, b.ResourceAttributeTypes) &&
    sameStrings(a.scopeKeys, b.scopeKeys) &&
    sameStrings(a.scopeValues, b.scopeValues) &&
    sameMap(a.ScopeAttributeTypes, b.ScopeAttributeTypes)
  );
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Key order counts, as it does in the JSON keys. */
function sameMap(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  const otherKeys = Object.keys(b);
  if (keys.length !== otherKeys.length) return false;
  for (let i = 0; i < keys.length; i++)
    if (keys[i] !== otherKeys[i] || a[keys[i]] !== b[keys[i]]) return false;
  return true;
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
