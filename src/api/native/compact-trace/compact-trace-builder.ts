import type { SpanRow } from '../../../store/reader/span-row-select.js';
import type { SpanRowSink } from '../../../store/reader/span-row-sink.js';
import { ResourceScopeGroups } from '../../../store/reader/resource-scope-groups.js';
import { spanKindOf, statusCodeOf } from '../../../store/reader/span-row-codes.js';
import type { CompactEvents, CompactLinks, CompactTrace, RelativeNanos } from './compact-trace-format.js';
import { COMPACT_TRACE_VERSION } from './compact-trace-format.js';
import { durationNanos, nanosOf, relativeNanos, secondsOf } from './nanos-text.js';
import { StringTable } from './string-table.js';
import { ValueTable } from './value-table.js';

/**
 * Builds the compact form of one trace straight from its stored rows, fed in any order
 * (`TraceStore.getTraceBuilt`). Runs on up to 100,000s of spans, so each row leaves only numbers
 * and interned strings in flat arrays, and the row itself can be collected at once; spans are put
 * in start order (ties by span id, then as fed) when the last row is in.
 */
export class CompactTraceBuilder implements SpanRowSink<CompactTrace> {
  private readonly strings = new StringTable();
  private readonly values = new ValueTable();
  private readonly resources: CompactTrace['resources'] = [];
  private readonly scopes: CompactTrace['scopes'] = [];
  private readonly groups = new ResourceScopeGroups<number, number>(
    (row) => {
      const attributes = this.values.pairsFromColumns(
        row.resourceKeys,
        row.resourceValues,
        row.ResourceAttributeTypes,
        row.ResourceAttributeAnyValues,
        this.strings,
        row.resourceEntries,
      );
      return this.resources.push({ attributes }) - 1;
    },
    (row, resource) => {
      const scope = {
        resource,
        name: this.strings.id(row.ScopeName),
        version: this.strings.id(row.ScopeVersion),
        attributes: this.values.pairsFromColumns(
          row.scopeKeys,
          row.scopeValues,
          row.ScopeAttributeTypes,
          row.ScopeAttributeAnyValues,
          this.strings,
          row.scopeEntries,
        ),
      };
      return this.scopes.push(scope) - 1;
    },
  );

  // One entry per span, in the order fed.
  private readonly spanId: string[] = [];
  private readonly parentId: string[] = [];
  private readonly seconds: number[] = [];
  private readonly nanos: number[] = [];
  private readonly duration: RelativeNanos[] = [];
  private readonly scope: number[] = [];
  private readonly name: number[] = [];
  private readonly kind: number[] = [];
  private readonly statusCode: number[] = [];
  private readonly statusMessage: number[] = [];
  private readonly traceState: number[] = [];
  /** Where each span's pairs begin in `attributes`. */
  private readonly attributeStart: number[] = [];
  private readonly attributes: number[] = [];
  // One entry per event and per link, `span` as fed.
  private readonly events = { span: [] as number[], seconds: [] as number[], nanos: [] as number[] };
  private readonly eventName: number[] = [];
  private readonly eventAttributes: number[][] = [];
  private readonly links: CompactLinks = {
    span: [],
    traceId: [],
    spanId: [],
    traceState: [],
    attributes: [],
  };

  constructor(private readonly traceId: string) {}

  add(row: SpanRow): void {
    const { strings, values } = this;
    const i = this.spanId.length;
    this.spanId.push(row.SpanId);
    this.parentId.push(row.ParentSpanId);
    this.seconds.push(secondsOf(row.start));
    this.nanos.push(nanosOf(row.start));
    this.duration.push(durationNanos(row.duration));
    this.scope.push(this.groups.scopeOf(row));
    this.name.push(strings.id(row.SpanName));
    this.kind.push(spanKindOf(row.SpanKind));
    this.statusCode.push(statusCodeOf(row.StatusCode));
    this.statusMessage.push(strings.id(row.StatusMessage));
    this.traceState.push(strings.id(row.TraceState));
    this.attributeStart.push(this.attributes.length);
    const { spanKeys: keys, spanValues: texts, SpanAttributeTypes: types } = row;
    const anyValues = row.SpanAttributeAnyValues;
    if (row.spanEntries !== undefined && row.spanEntries.length !== 0)
      this.attributes.push(
        ...values.pairsFromColumns(keys, texts, types, anyValues, strings, row.spanEntries),
      );
    else
      for (let a = 0; a < keys.length; a++)
        this.attributes.push(strings.id(keys[a]), values.fromColumns(keys[a], texts[a], types, anyValues));
    for (let e = 0; e < row.eventTimes.length; e++) {
      this.events.span.push(i);
      this.events.seconds.push(secondsOf(row.eventTimes[e]));
      this.events.nanos.push(nanosOf(row.eventTimes[e]));
      this.eventName.push(strings.id(row.eventNames[e]));
      this.eventAttributes.push(
        values.pairsFromColumns(
          row.eventKeys[e],
          row.eventValues[e],
          row.EventsAttributeTypes[e] ?? {},
          row.EventsAttributeAnyValues[e] ?? {},
          strings,
          row.eventEntries?.[e],
        ),
      );
    }
    for (let l = 0; l < row.linkTraceIds.length; l++) {
      this.links.span.push(i);
      this.links.traceId.push(row.linkTraceIds[l]);
      this.links.spanId.push(row.linkSpanIds[l]);
      this.links.traceState.push(strings.id(row.linkTraceStates[l]));
      this.links.attributes.push(
        values.pairsFromColumns(
          row.linkKeys[l],
          row.linkValues[l],
          row.LinksAttributeTypes[l] ?? {},
          row.LinksAttributeAnyValues[l] ?? {},
          strings,
          row.linkEntries?.[l],
        ),
      );
    }
  }

  finish(): CompactTrace {
    const order = this.startOrder();
    const n = order.length;
    const position = new Int32Array(n);
    for (let p = 0; p < n; p++) position[order[p]] = p;
    const baseS = n === 0 ? 0 : this.seconds[order[0]];
    const baseN = n === 0 ? 0 : this.nanos[order[0]];

    const spanId = new Array<string>(n);
    const parent = new Array<number | string>(n);
    const start = new Array<RelativeNanos>(n);
    const attributeCount = new Array<number>(n);
    const attributes: number[] = [];
    for (let p = 0; p < n; p++) {
      const i = order[p];
      spanId[p] = this.spanId[i];
      start[p] = relativeNanos(this.seconds[i], this.nanos[i], baseS, baseN);
      const from = this.attributeStart[i];
      const to = i + 1 < n ? this.attributeStart[i + 1] : this.attributes.length;
      attributeCount[p] = (to - from) / 2;
      for (let a = from; a < to; a++) attributes.push(this.attributes[a]);
    }
    // Parents as positions: the first span in start order with the parent's id, as the UI resolves them.
    const byId = new Map<string, number>();
    for (let p = 0; p < n; p++) if (!byId.has(spanId[p])) byId.set(spanId[p], p);
    for (let p = 0; p < n; p++) {
      const id = this.parentId[order[p]];
      parent[p] = id === '' ? -1 : (byId.get(id) ?? id);
    }
    const permute = <T>(column: readonly T[]): T[] => {
      const out = new Array<T>(n);
      for (let p = 0; p < n; p++) out[p] = column[order[p]];
      return out;
    };
    return {
      version: COMPACT_TRACE_VERSION,
      traceId: this.traceId,
      startUnixNano: n === 0 ? '0' : this.startText(baseS, baseN),
      strings: this.strings.strings,
      values: this.values.values,
      resources: this.resources,
      scopes: this.scopes,
      spans: {
        spanId,
        parent,
        scope: permute(this.scope),
        name: permute(this.name),
        kind: permute(this.kind),
        start,
        duration: permute(this.duration),
        statusCode: permute(this.statusCode),
        statusMessage: permute(this.statusMessage),
        traceState: permute(this.traceState),
        attributeCount,
        attributes,
      },
      events: this.eventColumns(position, baseS, baseN),
      links: this.linkColumns(position),
    };
  }

  /** Positions of the spans fed, in start order; ties by span id, then in the order fed. */
  private startOrder(): number[] {
    const { seconds, nanos, spanId } = this;
    const order = Array.from(spanId, (_, i) => i);
    // Array.prototype.sort is stable (ES2019): equal starts and ids stay in the order fed.
    return order.sort((a, b) => {
      const d = seconds[a] - seconds[b] || nanos[a] - nanos[b];
      if (d !== 0) return d;
      return spanId[a] < spanId[b] ? -1 : spanId[a] > spanId[b] ? 1 : 0;
    });
  }

  private startText(baseS: number, baseN: number): string {
    return (BigInt(baseS) * 1_000_000_000n + BigInt(baseN)).toString();
  }

  /** Events grouped by span in span order, each span's in the order stored. */
  private eventColumns(position: Int32Array, baseS: number, baseN: number): CompactEvents {
    const { span, seconds, nanos } = this.events;
    const order = byPosition(span, position);
    const out: CompactEvents = { span: [], time: [], name: [], attributes: [] };
    for (const e of order) {
      out.span.push(position[span[e]]);
      out.time.push(relativeNanos(seconds[e], nanos[e], baseS, baseN));
      out.name.push(this.eventName[e]);
      out.attributes.push(this.eventAttributes[e]);
    }
    return out;
  }

  private linkColumns(position: Int32Array): CompactLinks {
    const { links } = this;
    const order = byPosition(links.span, position);
    const out: CompactLinks = { span: [], traceId: [], spanId: [], traceState: [], attributes: [] };
    for (const l of order) {
      out.span.push(position[links.span[l]]);
      out.traceId.push(links.traceId[l]);
      out.spanId.push(links.spanId[l]);
      out.traceState.push(links.traceState[l]);
      out.attributes.push(links.attributes[l]);
    }
    return out;
  }
}

/** Entries ordered by their span's position, stably (a span's entries keep their stored order). */
function byPosition(span: readonly number[], position: Int32Array): number[] {
  const order = Array.from(span, (_, i) => i);
  return order.sort((a, b) => position[span[a]] - position[span[b]]);
}
