import type { ServiceGraphNode } from './service-graph.js';

/** A node per service, created on first mention. */
export function nodeOf(nodes: Map<string, ServiceGraphNode>, service: string): ServiceGraphNode {
  let found = nodes.get(service);
  if (!found) nodes.set(service, (found = { service, requestCount: 0, errorCount: 0 }));
  return found;
}

/** By the names' UTF-8 bytes, as ClickHouse's ORDER BY sorts the edges. */
export function sortNodes(nodes: Map<string, ServiceGraphNode>): ServiceGraphNode[] {
  return [...nodes.values()].sort((a, b) => Buffer.compare(Buffer.from(a.service), Buffer.from(b.service)));
}
