import { PermanentError } from '../../consumer/errors.js';
import { findAttribute } from '../../model/attributes.js';
import type { ResourceSpans, ScopeSpans, TracesData } from '../../model/span.js';
import type { HashRing } from './hash-ring.js';

export type RoutingKey = 'traceID' | 'service';

/**
 * Splits a batch into one batch per backend. By `traceID` every span goes where its trace id
 * hashes, so a trace whose spans arrive in several batches still ends up whole on one backend;
 * resources and scopes are shared (not copied) by the parts, which exporters do not mutate. By
 * `service` a whole resource goes where its `service.name` hashes; a resource without one is
 * refused, as the Collector refuses it.
 */
export function splitByBackend(data: TracesData, ring: HashRing, key: RoutingKey): Map<string, TracesData> {
  return key === 'service' ? splitByService(data, ring) : splitByTraceId(data, ring);
}

function splitByTraceId(data: TracesData, ring: HashRing): Map<string, TracesData> {
  const parts = new Map<string, TracesData>();
  for (const rs of data) {
    const resourceFor = new Map<string, ResourceSpans>();
    for (const ss of rs.scopeSpans) {
      const scopeFor = new Map<string, ScopeSpans>();
      for (const span of ss.spans) {
        const backend = ring.backendForTraceId(span.traceId);
        let scope = scopeFor.get(backend);
        if (scope === undefined) {
          scope = { scope: ss.scope, spans: [], schemaUrl: ss.schemaUrl };
          scopeFor.set(backend, scope);
          let resource = resourceFor.get(backend);
          if (resource === undefined) {
            resource = { resource: rs.resource, scopeSpans: [], schemaUrl: rs.schemaUrl };
            resourceFor.set(backend, resource);
            let part = parts.get(backend);
            if (part === undefined) parts.set(backend, (part = []));
            part.push(resource);
          }
          resource.scopeSpans.push(scope);
        }
        scope.spans.push(span);
      }
    }
  }
  return parts;
}

function splitByService(data: TracesData, ring: HashRing): Map<string, TracesData> {
  const parts = new Map<string, TracesData>();
  for (const rs of data) {
    const service = findAttribute(rs.resource.attributes, 'service.name');
    if (typeof service !== 'string')
      throw new PermanentError('routing_key service: a resource has no service.name attribute');
    const backend = ring.backendForKey(service);
    const part = parts.get(backend);
    if (part) part.push(rs);
    else parts.set(backend, [rs]);
  }
  return parts;
}
