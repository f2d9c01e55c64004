import type { CompactAttributes } from './compact-attributes';
import type { CompactTrace, RelativeNanos } from './compact-format';
import type { KeyValueJson, LinkJson, ScopeJson } from './otlp-json';
import type { PerSpan } from './per-span';
import type { SpanEventView, TraceSpan } from './trace-model';

/** What every span of one decoded compact trace shares. */
export interface CompactSource {
  data: CompactTrace;
  dictionary: CompactAttributes;
  /** Where each span's attribute pairs start in `data.spans.attributes` (n + 1 entries); made when first needed. */
  attributeStart: Int32Array | undefined;
  /** Per scope: its attributes, name and version as OTLP/JSON; per resource: attributes and service. */
  scopes: ScopeJson[];
  scopeResource: Int32Array;
  resources: KeyValueJson[][];
  services: string[];
  events: PerSpan<SpanEventView>;
  links: PerSpan<LinkJson>;
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
 * Span i of a compact trace, as the trace view's TraceSpan. What the waterfall, the minimap and the
 * tree read for every span is copied in at construction (100,000 of these are made before the
 * first frame, so they stay small); the rest — what a row in view or the side panel shows — is
 * looked up in the columns when read, attributes decoded once.
 */
export class CompactSpan implements TraceSpan {
  readonly spanId: string;
  readonly name: string;
  readonly kind: number;
  readonly statusCode: number;
  readonly start: number;
  readonly duration: number;
  private decodedAttributes: KeyValueJson[] | undefined = undefined;

  constructor(
    private readonly source: CompactSource,
    public index: number,
    readonly service: string,
    public serviceIndex: number,
  ) {
    const spans = source.data.spans;
    this.spanId = spans.spanId[index];
    this.name = source.data.strings[spans.name[index]];
    this.kind = spans.kind[index];
    this.statusCode = spans.statusCode[index];
    this.start = relativeMs(spans.start[index]);
    // As the OTLP/JSON reader does: a span that ends before it starts is drawn with no width.
    this.duration = Math.max(0, relativeMs(spans.duration[index]));
  }

  get traceId(): string {
    return this.source.data.traceId;
  }

  get parentSpanId(): string {
    const { spans } = this.source.data;
    const parent = spans.parent[this.index];
    return typeof parent === 'string' ? parent : parent < 0 ? '' : spans.spanId[parent];
  }

  get traceState(): string {
    return this.source.data.strings[this.source.data.spans.traceState[this.index]];
  }

  get statusMessage(): string {
    return this.source.data.strings[this.source.data.spans.statusMessage[this.index]];
  }

  get resource(): KeyValueJson[] {
    return this.source.resources[this.source.scopeResource[this.source.data.spans.scope[this.index]]];
  }

  get scope(): ScopeJson {
    return this.source.scopes[this.source.data.spans.scope[this.index]];
  }

  get events(): SpanEventView[] {
    return this.source.events.of(this.index);
  }

  get links(): LinkJson[] {
    return this.source.links.of(this.index);
  }

  get attributes(): KeyValueJson[] {
    if (this.decodedAttributes === undefined) {
      const { source } = this;
      const { spans } = source.data;
      const start = (source.attributeStart ??= prefixPairs(spans.attributeCount));
      this.decodedAttributes = source.dictionary.list(
        spans.attributes,
        start[this.index],
        start[this.index + 1],
      );
    }
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

/** Attribute counts per span → where each span's pairs start (n + 1 entries, in array slots). */
function prefixPairs(counts: readonly number[]): Int32Array {
  const start = new Int32Array(counts.length + 1);
  for (let i = 0; i < counts.length; i++) start[i + 1] = start[i] + 2 * counts[i];
  return start;
}
