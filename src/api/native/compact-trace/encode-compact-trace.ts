import type { Span, TracesData } from '../../../model/span.js';
import type { CompactEvents, CompactLinks, CompactTrace, RelativeNanos } from './compact-trace-format.js';
import { COMPACT_TRACE_VERSION } from './compact-trace-format.js';
import { StringTable } from './string-table.js';
import { ValueTable } from './value-table.js';

const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** `t − base` as a JSON number when exact as one, else as decimal text (see compact-trace-format). */
export function relativeNanos(t: bigint, base: bigint): RelativeNanos {
  const d = t - base;
  return d <= MAX_EXACT && d >= -MAX_EXACT ? Number(d) : d.toString();
}

/**
 * The model of one trace (as `TraceStore.getTrace` returns it) in the compact form the UI reads.
 * Runs once per request on up to 100,000s of spans, so it is a few flat loops filling arrays: no
 * per-span objects beyond what the output holds.
 */
export function encodeCompactTrace(traceId: string, data: TracesData): CompactTrace {
  const strings = new StringTable();
  const values = new ValueTable();
  const resources: CompactTrace['resources'] = [];
  const scopes: CompactTrace['scopes'] = [];
  const stored: Span[] = [];
  const storedScope: number[] = [];
  for (const rs of data) {
    const resource = resources.length;
    resources.push({ attributes: values.pairs(rs.resource.attributes, strings) });
    for (const ss of rs.scopeSpans) {
      const scope = scopes.length;
      scopes.push({
        resource,
        name: strings.id(ss.scope.name),
        version: strings.id(ss.scope.version),
        attributes: values.pairs(ss.scope.attributes, strings),
      });
      for (const span of ss.spans) {
        stored.push(span);
        storedScope.push(scope);
      }
    }
  }

  const n = stored.length;
  let base = n === 0 ? 0n : stored[0].startTimeUnixNano;
  for (let i = 1; i < n; i++) if (stored[i].startTimeUnixNano < base) base = stored[i].startTimeUnixNano;
  const order = startOrder(stored, base);

  const spanId = new Array<string>(n);
  const parent = new Array<number | string>(n);
  const scope = new Array<number>(n);
  const name = new Array<number>(n);
  const kind = new Array<number>(n);
  const start = new Array<RelativeNanos>(n);
  const duration = new Array<RelativeNanos>(n);
  const statusCode = new Array<number>(n);
  const statusMessage = new Array<number>(n);
  const traceState = new Array<number>(n);
  const attributeCount = new Array<number>(n);
  const attributes: number[] = [];
  const events: CompactEvents = { span: [], time: [], name: [], attributes: [] };
  const links: CompactLinks = { span: [], traceId: [], spanId: [], traceState: [], attributes: [] };
  for (let i = 0; i < n; i++) {
    const span = stored[order[i]];
    spanId[i] = span.spanId;
    parent[i] = span.parentSpanId === '' ? -1 : span.parentSpanId;
    scope[i] = storedScope[order[i]];
    name[i] = strings.id(span.name);
    kind[i] = span.kind;
    start[i] = relativeNanos(span.startTimeUnixNano, base);
    duration[i] = relativeNanos(span.endTimeUnixNano, span.startTimeUnixNano);
    statusCode[i] = span.status.code;
    statusMessage[i] = strings.id(span.status.message);
    traceState[i] = strings.id(span.traceState);
    attributeCount[i] = span.attributes.length;
    for (const kv of span.attributes) attributes.push(strings.id(kv.key), values.id(kv.value));
    for (const event of span.events) {
      events.span.push(i);
      events.time.push(relativeNanos(event.timeUnixNano, base));
      events.name.push(strings.id(event.name));
      events.attributes.push(values.pairs(event.attributes, strings));
    }
    for (const link of span.links) {
      links.span.push(i);
      links.traceId.push(link.traceId);
      links.spanId.push(link.spanId);
      links.traceState.push(strings.id(link.traceState));
      links.attributes.push(values.pairs(link.attributes, strings));
    }
  }
  resolveParents(spanId, parent);
  return {
    version: COMPACT_TRACE_VERSION,
    traceId,
    startUnixNano: base.toString(),
    strings: strings.strings,
    values: values.values,
    resources,
    scopes,
    spans: {
      spanId,
      parent,
      scope,
      name,
      kind,
      start,
      duration,
      statusCode,
      statusMessage,
      traceState,
      attributeCount,
      attributes,
    },
    events,
    links,
  };
}

/**
 * Turns parent ids into positions where the parent is in the trace (the first span with that id,
 * as the UI resolves them). A pass over the dense id arrays after the main loop, rather than a
 * lookup per span object inside it: on 100,000 spans that is several times faster.
 */
function resolveParents(spanId: readonly string[], parent: (number | string)[]): void {
  const byId = new Map<string, number>();
  for (let i = 0; i < spanId.length; i++) if (!byId.has(spanId[i])) byId.set(spanId[i], i);
  for (let i = 0; i < parent.length; i++) {
    const id = parent[i];
    if (typeof id === 'string') parent[i] = byId.get(id) ?? id;
  }
}

/**
 * Positions of the spans in start order, ties in stored order. The sort key is the start relative
 * to the trace's as a double: exact below 2^53 ns, and where it is not, the bigints decide.
 */
function startOrder(spans: readonly Span[], base: bigint): number[] {
  const key = new Float64Array(spans.length);
  const order = new Array<number>(spans.length);
  for (let i = 0; i < spans.length; i++) {
    key[i] = Number(spans[i].startTimeUnixNano - base);
    order[i] = i;
  }
  // Array.prototype.sort is stable (ES2019), which keeps ties in stored order.
  return order.sort((a, b) => {
    const d = key[a] - key[b];
    if (d !== 0 || key[a] <= Number.MAX_SAFE_INTEGER) return d;
    const x = spans[a].startTimeUnixNano;
    const y = spans[b].startTimeUnixNano;
    return x < y ? -1 : x > y ? 1 : 0;
  });
}
