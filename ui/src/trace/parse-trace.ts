import type { EventJson, TracesDataJson } from './otlp-json';
import { attributeText } from './otlp-json';
import type { SpanEventView, Trace, TraceSpan } from './trace-model';
import { STATUS_ERROR } from './trace-model';

/**
 * Unix nanoseconds as decimal text → milliseconds relative to `baseMs`, without BigInt: the text
 * splits into whole milliseconds (exact in a double until the year 287,000) and the nanosecond
 * remainder. 100,000 spans parse in a few milliseconds this way.
 */
export function nanosToMs(text: string | undefined, baseMs = 0): number {
  if (text === undefined || text === '' || text === '0') return 0 - baseMs;
  if (text.length <= 6) return Number(text) / 1e6 - baseMs;
  return Number(text.slice(0, -6)) - baseMs + Number(text.slice(-6)) / 1e6;
}

const EMPTY: never[] = [];

/** OTLP/JSON → the UI's trace: flat spans sorted by start, services numbered in order of appearance. */
export function parseTrace(traceId: string, data: TracesDataJson): Trace {
  const spans: TraceSpan[] = [];
  let minMs = Infinity;
  let minNano = '';
  for (const rs of data.resourceSpans ?? []) {
    const resource = rs.resource?.attributes ?? EMPTY;
    const service = attributeText(resource, 'service.name') ?? '';
    for (const ss of rs.scopeSpans ?? []) {
      const scope = ss.scope ?? {};
      for (const s of ss.spans ?? []) {
        const startNano = s.startTimeUnixNano ?? '0';
        const start = nanosToMs(startNano);
        if (start < minMs) {
          minMs = start;
          minNano = startNano;
        }
        spans.push({
          index: 0,
          traceId: s.traceId ?? traceId,
          spanId: s.spanId ?? '',
          parentSpanId: s.parentSpanId ?? '',
          traceState: s.traceState ?? '',
          name: s.name ?? '',
          service,
          serviceIndex: 0,
          kind: s.kind ?? 0,
          statusCode: s.status?.code ?? 0,
          statusMessage: s.status?.message ?? '',
          // Absolute for now; made relative below once the earliest start is known.
          start,
          duration: Math.max(0, nanosToMs(s.endTimeUnixNano ?? startNano) - start),
          startUnixNano: startNano,
          endUnixNano: s.endTimeUnixNano ?? startNano,
          attributes: s.attributes ?? EMPTY,
          resource,
          scope,
          events: s.events === undefined ? EMPTY : s.events.map((e) => eventView(e)),
          links: s.links ?? EMPTY,
        });
      }
    }
  }
  if (spans.length === 0) minMs = 0;
  spans.sort((a, b) => a.start - b.start);
  const services: string[] = [];
  const serviceIndex = new Map<string, number>();
  let end = 0;
  let errorCount = 0;
  for (let i = 0; i < spans.length; i++) {
    const span = spans[i];
    span.index = i;
    span.start -= minMs;
    for (const event of span.events) event.time -= minMs;
    end = Math.max(end, span.start + span.duration);
    if (span.statusCode === STATUS_ERROR) errorCount++;
    let n = serviceIndex.get(span.service);
    if (n === undefined) {
      n = services.length;
      services.push(span.service);
      serviceIndex.set(span.service, n);
    }
    span.serviceIndex = n;
  }
  return { traceId, spans, services, startUnixMs: minMs, startUnixNano: minNano, duration: end, errorCount };
}

function eventView(event: EventJson): SpanEventView {
  return {
    time: nanosToMs(event.timeUnixNano),
    name: event.name ?? '',
    attributes: event.attributes ?? EMPTY,
  };
}
