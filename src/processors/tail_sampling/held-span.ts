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
    readonly scope: InstrumentationScope,
    readonly span: Span | undefined,
    public bytes: Uint8Array,
    public start: number,
    public end: number,
  ) {}
}

/** Held spans grouped under the resource and scope objects they came with, in arrival order. */
export function groupHeldSpans(spans: readonly HeldSpan[]): EncodedResourceSpans<HeldSpan>[] {
  const byResource = new Map<
    Resource,
    { group: EncodedResourceSpans<HeldSpan>; scopes: Map<InstrumentationScope, HeldSpan[]> }
  >();
  for (const held of spans) {
    let r = byResource.get(held.resource);
    if (!r) {
      r = { group: { resource: held.resource, scopeSpans: [] }, scopes: new Map() };
      byResource.set(held.resource, r);
    }
    let scopeSpans = r.scopes.get(held.scope);
    if (!scopeSpans) {
      scopeSpans = [];
      r.scopes.set(held.scope, scopeSpans);
      r.group.scopeSpans.push({ scope: held.scope, spans: scopeSpans });
    }
    scopeSpans.push(held);
  }
  return [...byResource.values()].map((r) => r.group);
}

/** Held spans that are spans themselves (not encoded) back into OTLP shape. */
export function heldSpansAsTraces(spans: readonly HeldSpan[]): TracesData {
  return groupHeldSpans(spans).map((rs) => ({
    resource: rs.resource,
    scopeSpans: rs.scopeSpans.map((ss) => ({
      scope: ss.scope,
      spans: ss.spans.map((held) => held.span!),
      schemaUrl: '',
    })),
    schemaUrl: '',
  }));
}

/** Held spans that wait encoded, copied into one request under their resources and scopes. */
export function heldSpansAsRequest(spans: readonly HeldSpan[]): TraceRequestBytes {
  return { parts: [encodeRequestOfEncodedSpans(groupHeldSpans(spans))], spans: spans.length };
}
