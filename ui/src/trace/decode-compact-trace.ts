import { MISSING_PARENT } from './build-tree';
import { CompactAttributes } from './compact-attributes';
import type { CompactTrace } from './compact-format';
import { COMPACT_TRACE_VERSION } from './compact-format';
import type { CompactSource } from './compact-span';
import { CompactSpan, relativeMs } from './compact-span';
import type { LinkJson, ScopeJson } from './otlp-json';
import { attributeText } from './otlp-json';
import { nanosToMs } from './parse-trace';
import { PerSpan } from './per-span';
import type { SpanEventView, Trace } from './trace-model';
import { STATUS_ERROR } from './trace-model';

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
    attributeStart: undefined,
    scopes,
    scopeResource: Int32Array.from(data.scopes, (s) => s.resource),
    resources,
    services: resources.map((attributes) => attributeText(attributes, 'service.name') ?? ''),
    events: eventsBySpan(data, dictionary, n),
    links: linksBySpan(data, dictionary, n),
  };

  const spans = new Array<CompactSpan>(n);
  const parentIndex = new Int32Array(n);
  // Services numbered in order of first appearance; worked out once a resource, not once a span.
  const services: string[] = [];
  const serviceIndex = new Map<string, number>();
  const resourceService = new Int32Array(resources.length).fill(-1);
  const { scope, parent, statusCode } = data.spans;
  let end = 0;
  let errorCount = 0;
  for (let i = 0; i < n; i++) {
    const resource = source.scopeResource[scope[i]];
    let s = resourceService[resource];
    if (s === -1) {
      const service = source.services[resource];
      s = serviceIndex.get(service) ?? services.push(service) - 1;
      serviceIndex.set(service, s);
      resourceService[resource] = s;
    }
    const span = new CompactSpan(source, i, services[s], s);
    if (span.start + span.duration > end) end = span.start + span.duration;
    if (statusCode[i] === STATUS_ERROR) errorCount++;
    spans[i] = span;
    const p = parent[i];
    parentIndex[i] = typeof p === 'string' ? MISSING_PARENT : p;
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
    partial: data.partial === true,
  };
}

function eventsBySpan(data: CompactTrace, dictionary: CompactAttributes, n: number): PerSpan<SpanEventView> {
  const { span, time, name, attributes } = data.events;
  return new PerSpan(span, n, (e) => ({
    time: relativeMs(time[e]),
    name: data.strings[name[e]],
    attributes: dictionary.list(attributes[e]),
  }));
}

function linksBySpan(data: CompactTrace, dictionary: CompactAttributes, n: number): PerSpan<LinkJson> {
  const { span, traceId, spanId, traceState, attributes } = data.links;
  return new PerSpan(span, n, (l) => ({
    traceId: traceId[l],
    spanId: spanId[l],
    traceState: data.strings[traceState[l]],
    attributes: dictionary.list(attributes[l]),
  }));
}
