import type { TraceOutline } from '../../../store/reader/trace-outline.js';
import { spanKindOf, statusCodeOf } from '../../../store/reader/span-row-codes.js';
import type { CompactTrace, RelativeNanos } from './compact-trace-format.js';
import { COMPACT_TRACE_VERSION } from './compact-trace-format.js';
import { durationNanos, nanosOf, relativeNanos, secondsOf } from './nanos-text.js';
import { StringTable } from './string-table.js';
import { ValueTable } from './value-table.js';

/**
 * A trace's outline as a partial compact trace (`partial: true`): the same columns and conventions
 * as CompactTraceBuilder's whole trace — spans in start order, ties by span id, parents as
 * positions — so the UI draws it with the same code and swaps in the whole trace when it arrives.
 * A resource per service, holding only `service.name`, with one scope each.
 */
export function compactOutline(traceId: string, outline: TraceOutline): CompactTrace {
  const n = outline.spanId.length;
  const seconds = new Float64Array(n);
  const nanos = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    seconds[i] = secondsOf(outline.start[i]);
    nanos[i] = nanosOf(outline.start[i]);
  }
  const order = startOrder(seconds, nanos, outline.spanId);
  const baseS = n === 0 ? 0 : seconds[order[0]];
  const baseN = n === 0 ? 0 : nanos[order[0]];

  const strings = new StringTable();
  const values = new ValueTable();
  const serviceKey = strings.id('service.name');
  const resources: CompactTrace['resources'] = [];
  const scopes: CompactTrace['scopes'] = [];
  const scopeOfService = new Map<string, number>();
  const spanId = new Array<string>(n);
  const parent = new Array<number | string>(n);
  const scope = new Array<number>(n);
  const name = new Array<number>(n);
  const kind = new Array<number>(n);
  const start = new Array<RelativeNanos>(n);
  const duration = new Array<RelativeNanos>(n);
  const statusCode = new Array<number>(n);
  const byId = new Map<string, number>();
  for (let p = 0; p < n; p++) {
    const i = order[p];
    spanId[p] = outline.spanId[i];
    if (!byId.has(spanId[p])) byId.set(spanId[p], p);
    const service = outline.service[i];
    let s = scopeOfService.get(service);
    if (s === undefined) {
      const resource = resources.push({ attributes: [serviceKey, values.id(service)] }) - 1;
      s = scopes.push({ resource, name: 0, version: 0, attributes: [] }) - 1;
      scopeOfService.set(service, s);
    }
    scope[p] = s;
    name[p] = strings.id(outline.name[i]);
    kind[p] = spanKindOf(outline.kind[i]);
    start[p] = relativeNanos(seconds[i], nanos[i], baseS, baseN);
    duration[p] = durationNanos(outline.duration[i]);
    statusCode[p] = statusCodeOf(outline.statusCode[i]);
  }
  // Parents as positions: the first span in start order with the parent's id, as the whole trace has them.
  for (let p = 0; p < n; p++) {
    const id = outline.parentSpanId[order[p]];
    parent[p] = id === '' ? -1 : (byId.get(id) ?? id);
  }
  const zeros = new Array<number>(n).fill(0);
  return {
    version: COMPACT_TRACE_VERSION,
    partial: true,
    traceId,
    startUnixNano: n === 0 ? '0' : (BigInt(baseS) * 1_000_000_000n + BigInt(baseN)).toString(),
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
      statusMessage: zeros,
      traceState: zeros,
      attributeCount: zeros,
      attributes: [],
    },
    events: { span: [], time: [], name: [], attributes: [] },
    links: { span: [], traceId: [], spanId: [], traceState: [], attributes: [] },
  };
}

/** Positions in start order, ties by span id (then as stored), as CompactTraceBuilder orders them. */
function startOrder(seconds: Float64Array, nanos: Float64Array, spanId: readonly string[]): number[] {
  const order = Array.from(spanId, (_, i) => i);
  return order.sort((a, b) => {
    const d = seconds[a] - seconds[b] || nanos[a] - nanos[b];
    if (d !== 0) return d;
    return spanId[a] < spanId[b] ? -1 : spanId[a] > spanId[b] ? 1 : 0;
  });
}
