import type { InstrumentationScope, Resource, ResourceSpans, Span, Status } from './span.js';
import { SpanKind, StatusCode } from './span.js';

/** Empty values for optional OTLP sub-messages, so decoders and tests start from one definition. */
export function emptyResource(): Resource {
  return { attributes: [], droppedAttributesCount: 0 };
}

export function emptyScope(): InstrumentationScope {
  return { name: '', version: '', attributes: [], droppedAttributesCount: 0 };
}

export function unsetStatus(): Status {
  return { code: StatusCode.UNSET, message: '' };
}

export function emptySpan(): Span {
  return {
    traceId: '',
    spanId: '',
    traceState: '',
    parentSpanId: '',
    flags: 0,
    name: '',
    kind: SpanKind.UNSPECIFIED,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    droppedAttributesCount: 0,
    events: [],
    droppedEventsCount: 0,
    links: [],
    droppedLinksCount: 0,
    status: unsetStatus(),
  };
}

export function emptyResourceSpans(): ResourceSpans {
  return { resource: emptyResource(), scopeSpans: [], schemaUrl: '' };
}

export function countSpans(data: readonly ResourceSpans[]): number {
  let n = 0;
  for (const rs of data) for (const ss of rs.scopeSpans) n += ss.spans.length;
  return n;
}
