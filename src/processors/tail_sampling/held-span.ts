import type { KeyValue } from '../../model/attributes.js';
import type { InstrumentationScope, Resource, Span, TracesData } from '../../model/span.js';
import type { TraceRequestBytes } from '../../consumer/traces-consumer.js';
import type { EncodedResourceSpans, EncodedSpan } from '../../otlp/protobuf/encode-traces.js';
import { encodeRequestOfEncodedSpans } from '../../otlp/protobuf/encode-traces.js';
import type { PolicySpan } from './sampled-trace.js';

/**
 * A span waiting for its trace's decision, with what the policies read of it. Either `span` is
 * the span itself, or (where the rest of the pipeline takes bytes) it waits encoded as
 * `bytes[start, end)`, its `ScopeSpans.spans` field, keeping only the attributes some policy
 * reads. Those bytes are a view of the request it came in, when that batch still carried its
 * received bytes and where its spans lie in them (model/request-bytes.ts); otherwise a slice of
 * its request's waiting spans encoded together.
 *
 * Why encoded: every span waits `decision_wait`, long enough to outlive V8's young generation,
 * so each decoded span's ~30 objects were copied twice by the scavenger and then left for the
 * full collector — most of the processor's cost under steady load. An encoded span is one object
 * and a share of a buffer off the heap, and it was encoded while its request was still in the CPU's
 * cache, rather than a second later when it is sent.
 *
 * Why a view when possible: encoding every waiting span was ~22% of the collector's CPU, and most
 * of them are dropped. The trade: a view keeps its whole request buffer alive until the last of
 * its spans is released or dropped (about `decision_wait`), spans already sent or dropped and the
 * resource and scope bytes included, where an encoded copy kept only the waiting spans. With new
 * traces in every request nearly every span waits, so the two hold about the same bytes; a stream
 * of mostly late spans holds whole requests for the few that wait. These buffers are outside the
 * receivers' in-flight limit either way, as the encoded copies were.
 */
export class HeldSpan implements PolicySpan, EncodedSpan {
  constructor(
    readonly statusCode: number,
    readonly attributes: readonly KeyValue[],
    readonly resource: Resource,
    /** `ResourceSpans.schema_url` it came under: it goes on under it (the Collector keeps it too). */
    readonly resourceSchemaUrl: string,
    readonly scope: InstrumentationScope,
    /** `ScopeSpans.schema_url` it came under. */
    readonly scopeSchemaUrl: string,
    readonly span: Span | undefined,
    public bytes: Uint8Array,
    public start: number,
    public end: number,
  ) {}
}

type HeldResourceSpans = EncodedResourceSpans<HeldSpan>;
type HeldScopeSpans = HeldResourceSpans['scopeSpans'][number];

/** A resource group being built: what goes out, and its scopes' groups by scope object. */
interface ResourceGroup {
  readonly schemaUrl: string;
  readonly out: HeldResourceSpans;
  readonly scopes: Map<InstrumentationScope, HeldScopeSpans[]>;
}

/**
 * Held spans grouped under the resource and scope objects they came with, in arrival order.
 * A resource (or scope) object is keyed with its schema URL: OTLP gives the URL beside it, so one
 * object under two URLs (a batch assembled by hand) must stay two groups, not be merged into one.
 * The lists searched are one object's groups, nearly always one; and a span under the same
 * resource and scope as the one before it (most spans of a trace) skips the lookups.
 */
export function groupHeldSpans(spans: readonly HeldSpan[]): HeldResourceSpans[] {
  const groups: HeldResourceSpans[] = [];
  const byResource = new Map<Resource, ResourceGroup[]>();
  let previous: HeldSpan | undefined;
  let scopeGroup: HeldScopeSpans | undefined;
  for (const held of spans) {
    if (previous === undefined || !sameOrigin(held, previous)) {
      let resourceGroups = byResource.get(held.resource);
      if (!resourceGroups) byResource.set(held.resource, (resourceGroups = []));
      let r = withSchemaUrl(resourceGroups, held.resourceSchemaUrl);
      if (!r) {
        const schemaUrl = held.resourceSchemaUrl;
        r = { schemaUrl, out: { resource: held.resource, scopeSpans: [], schemaUrl }, scopes: new Map() };
        resourceGroups.push(r);
        groups.push(r.out);
      }
      let scopeGroups = r.scopes.get(held.scope);
      if (!scopeGroups) r.scopes.set(held.scope, (scopeGroups = []));
      scopeGroup = withSchemaUrl(scopeGroups, held.scopeSchemaUrl);
      if (!scopeGroup) {
        scopeGroups.push((scopeGroup = { scope: held.scope, spans: [], schemaUrl: held.scopeSchemaUrl }));
        r.out.scopeSpans.push(scopeGroup);
      }
      previous = held;
    }
    scopeGroup!.spans.push(held);
  }
  return groups;
}

function sameOrigin(a: HeldSpan, b: HeldSpan): boolean {
  return (
    a.resource === b.resource &&
    a.scope === b.scope &&
    a.resourceSchemaUrl === b.resourceSchemaUrl &&
    a.scopeSchemaUrl === b.scopeSchemaUrl
  );
}

function withSchemaUrl<G extends { readonly schemaUrl: string }>(
  groups: readonly G[],
  schemaUrl: string,
): G | undefined {
  for (const group of groups) if (group.schemaUrl === schemaUrl) return group;
  return undefined;
}

/** Held spans that are spans themselves (not encoded) back into OTLP shape. */
export function heldSpansAsTraces(spans: readonly HeldSpan[]): TracesData {
  return groupHeldSpans(spans).map((rs) => ({
    resource: rs.resource,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      scope: ss.scope,
      spans: ss.spans.map((held) => held.span!),
      schemaUrl: ss.schemaUrl,
    })),
    schemaUrl: rs.schemaUrl,
  }));
}

/** Held spans that wait encoded, copied into one request under their resources and scopes. */
export function heldSpansAsRequest(spans: readonly HeldSpan[]): TraceRequestBytes {
  return { parts: [encodeRequestOfEncodedSpans(groupHeldSpans(spans))], spans: spans.length };
}
