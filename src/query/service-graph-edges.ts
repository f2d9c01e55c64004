import { SERVICE_GRAPH_EDGES_TABLE } from '../store/schema/service-graph-edges-schema.js';
import { qualifiedName } from '../store/schema/sql-quote.js';
import type { TraceStore } from '../store/trace-store.js';
import type {
  ServiceGraph,
  ServiceGraphEdge,
  ServiceGraphNode,
  ServiceGraphRequest,
} from './service-graph.js';
import type { EdgeRow } from './service-graph-join.js';
import { nodeOf, sortNodes } from './service-graph-nodes.js';
import { DURATION_QUANTILES_IF } from './span-kinds.js';
import { validateRange } from './span-query.js';

/**
 * The service graph from the rows paired at ingest (service-graph-edges-schema.ts says what a row
 * is), in one scan of the range grouped by (client, server); undefined when the table has no row
 * in the range, so the caller falls back to the join. The rules are the join's
 * (service-graph-join.ts), row for row:
 *
 * - an edge is a row whose client is another service, of a connection type the rule counts
 *   (`entry-spans`: request and messaging_system; `all-spans`: also other), whose two spans both
 *   started in the range (`Timestamp + ClientStartOffset` is the client's start second);
 * - a node counts the rows of entry spans (every type but other) started in the range, plus, for
 *   `all-spans`, the other-type edges' children.
 */
export async function serviceGraphFromEdges(
  store: TraceStore,
  tenant: string,
  request: ServiceGraphRequest,
): Promise<ServiceGraph | undefined> {
  const { start, end } = validateRange(request.range);
  const table = qualifiedName(await store.readDatabase(tenant), SERVICE_GRAPH_EDGES_TABLE);
  const types =
    request.edges === 'all-spans'
      ? "'request', 'messaging_system', 'other'"
      : "'request', 'messaging_system'";
  // Timestamp compared as a number: toDateTime() of a bound past 2106 would wrap around.
  const rows = await store.driver.query<Row>(
    `SELECT ClientService AS client, ServerService AS server,
            toString(countIf(edge)) AS requests, toString(countIf(edge AND (ClientFailed OR ServerFailed))) AS errors,
            toString(countIf(edge AND ConnectionType = 'other')) AS inferred,
            toString(countIf(edge AND ConnectionType = 'other' AND ServerFailed)) AS inferredErrors,
            toString(countIf(ConnectionType != 'other')) AS entries,
            toString(countIf(ConnectionType != 'other' AND ServerFailed)) AS entryErrors,
            ${DURATION_QUANTILES_IF}(ServerDuration, edge) AS latency
     FROM (SELECT ClientService, ServerService, ConnectionType, ClientFailed, ServerFailed, ServerDuration,
                  ConnectionType IN (${types}) AND ClientService != ServerService
                    AND toUnixTimestamp(Timestamp) + ClientStartOffset BETWEEN {rangeStart:Int64} AND {rangeEnd:Int64} AS edge
           FROM ${table}
           WHERE Timestamp >= {rangeStart:Int64} AND Timestamp <= {rangeEnd:Int64})
     GROUP BY client, server ORDER BY client, server`,
    { rangeStart: start, rangeEnd: end },
  );
  if (rows.length === 0) return undefined;
  const edges: ServiceGraphEdge[] = [];
  const nodes = new Map<string, ServiceGraphNode>();
  for (const row of rows) {
    if (row.entries !== '0') {
      const n = nodeOf(nodes, row.server);
      n.requestCount += Number(row.entries);
      n.errorCount += Number(row.entryErrors);
    }
    if (row.requests === '0') continue;
    edges.push({
      client: row.client,
      server: row.server,
      requestCount: Number(row.requests),
      errorCount: Number(row.errors),
      latencyNanos: { p50: row.latency[0], p90: row.latency[1], p99: row.latency[2] },
    });
    nodeOf(nodes, row.client);
    const n = nodeOf(nodes, row.server);
    n.requestCount += Number(row.inferred);
    n.errorCount += Number(row.inferredErrors);
  }
  return { edges, nodes: sortNodes(nodes) };
}

/** An edge's figures as the join reads them, plus the entry spans the edge rows also count. */
interface Row extends EdgeRow {
  entries: string;
  entryErrors: string;
}
