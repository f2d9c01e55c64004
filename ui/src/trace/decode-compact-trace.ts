import { MISSING_PARENT } from './build-tree';
import { CompactAttributes } from './compact-attributes';
import type { CompactTrace } from './compact-format';
import { COMPACT_TRACE_VERSION } from './compact-format';
import type { CompactSource } from './compact-span';
import { CompactSpan, relativeMs } from './compact-span';
import type { LinkJson, ScopeJson } from './otlp-json';
import { attributeText } from './otlp-json';
import { nanosToMs } from './parse-trace';
import type { SpanEventView, Trace } from './trace-model';
import { STATUS_ERROR } from './trace-model';

const NONE: never[] = [];

/**
 * The compact trace form → the trace view's model, in one pass over the columns. The server sends
 * spans in start order, so unlike the OTLP/JSON reader there is no sort; a span's position is its
 * index. Services are numbered in order of first appearance, as the OTLP/JSON reader numbers them.
 */
export function decodeCompactTrace(data: CompactTrace): Trace {
  if (data.version !== COMPACT_TRACE_VERSION)
    throw new Error(
      `compact trace version ${data.version} is not one this UI reads (${COMPACT_TRACE_VERSION})`,
    );
  const dictionary = new CompactAttributes(data.strings, data.values);
  const resources = data.resources.map((r) => dictionary.list(r.attributes));
  const scopes = data.scopes.map((s): ScopeJson => ({
    name: data.strings[s.name],
    version: data.strings[s.version],
    attributes: dictionary.list(s.attributes),
  }));
  const n = data.spans.spanId.length;
  const source: CompactSource = {
    data,
    dictionary,
    attributeStart: prefixPairs(data.spans.attributeCount),
    scopes,
    scopeResource: Int32Array.from(data.scopes, (s) => s.resource),
    resources,
    services: resources.map((attributes) => attributeText(attributes, 'service.name') ?? ''),
    events: eventsBySpan(data, dictionary, n),
    links: linksBySpan(data, dictionary, n),
  };

  const spans = new Array<CompactSpan>(n);
  const parentIndex = new Int32Array(n);
  const services: string[] = [];
  const serviceIndex = new Map<string, number>();
  let end = 0;
  let errorCount = 0;
  for (let i = 0; i < n; i++) {
    const span = new CompactSpan(source, i);
    let s = serviceIndex.get(span.service);
    if (s === undefined) {
      s = services.length;
      services.push(span.service);
      serviceIndex.set(span.service, s);
    }
    span.serviceIndex = s;
    if (span.start + span.duration > end) end = span.start + span.duration;
    if (span.statusCode === STATUS_ERROR) errorCount++;
    spans[i] = span;
    const parent = data.spans.parent[i];
    parentIndex[i] = typeof parent === 'string' ? MISSING_PARENT : parent;
  }
  return {
    traceId: data.traceId,
    spans,
    services,
    startUnixMs: n === 0 ? 0 : nanosToMs(data.startUnixNano),
    startUnixNano: n === 0 ? '' : data.startUnixNano,
    duration: end,
    errorCount,
    parentIndex,
  };
}

/** Attribute counts per span → where each span's pairs start (n + 1 entries, in array slots). */
function prefixPairs(counts: readonly number[]): Int32Array {
  const start = new Int32Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) start[i + 1] = start[i] + 2 * counts[i];
  return start;
}

function eventsBySpan(data: CompactTrace, dictionary: CompactAttributes, n: number): SpanEventView[][] {
  const out = new Array<SpanEventView[]>(n).fill(NONE);
  const { span, time, name, attributes } = data.events;
  for (let e = 0; e < span.length; e++) {
    if (out[span[e]] === NONE) out[span[e]] = [];
    out[span[e]].push({
      time: relativeMs(time[e]),
      name: data.strings[name[e]],
      attributes: dictionary.list(attributes[e]),
    });
  }
  return out;
}

function linksBySpan(data: CompactTrace, dictionary: CompactAttributes, n: number): LinkJson[][] {
  const out = new Array<LinkJson[]>(n).fill(NONE);
  const { span, traceId, spanId, traceState, attributes } = data.links;
  for (let l = 0; l < span.length; l++) {
    if (out[span[l]] === NONE) out[span[l]] = [];
    out[span[l]].push({
      traceId: traceId[l],
      spanId: spanId[l],
      traceState: data.strings[traceState[l]],
      attributes: dictionary.list(attributes[l]),
    });
  }
  return out;
}
