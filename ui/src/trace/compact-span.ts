import type { CompactAttributes } from './compact-attributes';
import type { CompactTrace, RelativeNanos } from './compact-format';
import type { KeyValueJson, LinkJson, ScopeJson } from './otlp-json';
import type { SpanEventView, TraceSpan } from './trace-model';

/** What every span of one decoded compact trace shares. */
export interface CompactSource {
  data: CompactTrace;
  dictionary: CompactAttributes;
  /** Where each span's attribute pairs start in `data.spans.attributes` (n + 1 entries). */
  attributeStart: Int32Array;
  /** Per scope: its attributes, name and version as OTLP/JSON; per resource: attributes and service. */
  scopes: ScopeJson[];
  scopeResource: Int32Array;
  resources: KeyValueJson[][];
  services: string[];
  events: SpanEventView[][];
  links: LinkJson[][];
}

/** A relative time in ms for layout (a double: sub-nanosecond precision for a day-long trace). */
export const relativeMs = (nanos: RelativeNanos): number => Number(nanos) / 1e6;

/** Exact Unix nanoseconds as text: the trace's start plus relative offsets, in BigInt. */
export function unixNanos(base: string, ...offsets: RelativeNanos[]): string {
  let sum = BigInt(base);
  for (const offset of offsets) sum += BigInt(offset);
  return sum.toString();
}

/**
 * Span i of a compact trace, as the trace view's TraceSpan. What the waterfall reads for every row
 * is copied in at construction; attributes and exact nanosecond texts, which only the side panel
 * and find-in-trace read, are worked out when first read.
 */
export class CompactSpan implements TraceSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly traceState: string;
  readonly name: string;
  readonly service: string;
  serviceIndex = 0;
  readonly kind: number;
  readonly statusCode: number;
  readonly statusMessage: string;
  readonly start: number;
  readonly duration: number;
  readonly resource: KeyValueJson[];
  readonly scope: ScopeJson;
  readonly events: SpanEventView[];
  readonly links: LinkJson[];
  private decodedAttributes: KeyValueJson[] | undefined;

  constructor(
    private readonly source: CompactSource,
    public index: number,
  ) {
    const { data } = source;
    const spans = data.spans;
    const strings = data.strings;
    const parent = spans.parent[index];
    const scope = spans.scope[index];
    const resource = source.scopeResource[scope];
    this.traceId = data.traceId;
    this.spanId = spans.spanId[index];
    this.parentSpanId = typeof parent === 'string' ? parent : parent < 0 ? '' : spans.spanId[parent];
    this.traceState = strings[spans.traceState[index]];
    this.name = strings[spans.name[index]];
    this.service = source.services[resource];
    this.kind = spans.kind[index];
    this.statusCode = spans.statusCode[index];
    this.statusMessage = strings[spans.statusMessage[index]];
    this.start = relativeMs(spans.start[index]);
    // As the OTLP/JSON reader does: a span that ends before it starts is drawn with no width.
    this.duration = Math.max(0, relativeMs(spans.duration[index]));
    this.resource = source.resources[resource];
    this.scope = source.scopes[scope];
    this.events = source.events[index];
    this.links = source.links[index];
  }

  get attributes(): KeyValueJson[] {
    const { data, dictionary, attributeStart } = this.source;
    this.decodedAttributes ??= dictionary.list(
      data.spans.attributes,
      attributeStart[this.index],
      attributeStart[this.index + 1],
    );
    return this.decodedAttributes;
  }

  get startUnixNano(): string {
    return unixNanos(this.source.data.startUnixNano, this.source.data.spans.start[this.index]);
  }

  get endUnixNano(): string {
    const { spans, startUnixNano } = this.source.data;
    return unixNanos(startUnixNano, spans.start[this.index], spans.duration[this.index]);
  }
}
