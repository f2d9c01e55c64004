import type { ResourceSpans, ScopeSpans, TracesData } from '../../model/span.js';

/**
 * Splits a batch into batches of at most `max` spans, keeping each span under its own resource
 * and scope (a split resource or scope appears in both halves, each with its own attribute list) —
 * what the Collector's batch processor does for `send_batch_max_size`.
 */
export function splitTraces(data: TracesData, max: number): TracesData[] {
  const out: TracesData[] = [];
  let current: TracesData = [];
  let count = 0;
  for (const rs of data) {
    let rsOut: ResourceSpans | undefined;
    for (const ss of rs.scopeSpans) {
      let start = 0;
      while (start < ss.spans.length) {
        if (count === max) {
          out.push(current);
          current = [];
          count = 0;
          rsOut = undefined;
        }
        const take = Math.min(max - count, ss.spans.length - start);
        if (!rsOut) {
          // Each part gets its own attribute list: a later processor (resource) edits it in place.
          const resource = { ...rs.resource, attributes: rs.resource.attributes.slice() };
          rsOut = { resource, scopeSpans: [], schemaUrl: rs.schemaUrl };
          current.push(rsOut);
        }
        const piece: ScopeSpans = {
          scope: ss.scope,
          spans: ss.spans.slice(start, start + take),
          schemaUrl: ss.schemaUrl,
        };
        rsOut.scopeSpans.push(piece);
        start += take;
        count += take;
      }
    }
  }
  if (count > 0) out.push(current);
  return out;
}
