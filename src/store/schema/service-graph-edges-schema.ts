import type { ColumnDef } from './table-parts.js';

/**
 * `tracehouse_service_graph_edges`: the service graph paired at ingest (src/servicegraph), as
 * Tempo's metrics generator and the Collector's servicegraph connector pair client and server
 * spans, so that a graph over an hour reads ~one row per request instead of self-joining the
 * hour's spans on their hex ids (~4 CPU-s at 10 M spans).
 *
 * One row per entry span (SERVER or CONSUMER, or a root span) and per cross-service child of
 * another kind:
 * - `Timestamp`: the child (server-side) span's start, in whole seconds — the query layer's
 *   ranges are whole seconds, so nothing finer is needed.
 * - `ClientStartOffset`: the parent's start second minus `Timestamp` (usually 0 or −1), so a read
 *   can ask for both spans inside the range, as the join does.
 * - `ConnectionType`: `request` (a SERVER child), `messaging_system` (a CONSUMER child; Tempo's
 *   name), `other` (a child of another kind whose parent is in another service: an edge for
 *   Jaeger's all-spans rule only), `none` (no parent paired — a root, or an entry span whose parent
 *   did not arrive in time: it counts for its service's node, as the join counts it).
 * - `ClientService` is '' for `none`; it equals `ServerService` for an entry span whose parent is
 *   in the same service (a node count, not an edge).
 *
 * Sorted by minute, then edge: a range read prunes by minute, and within a minute the rows of one
 * edge lie together, so the service names compress to almost nothing and the durations of one
 * edge sit side by side. Measured 4.1 bytes a row on disk at 10 M spans (bench/RESULTS.md).
 */
export const SERVICE_GRAPH_EDGES_TABLE = 'tracehouse_service_graph_edges';

/** Enum values written by the pairer (connection-type.ts); the names are what SQL compares. */
export const CONNECTION_TYPE_ENUM = "Enum8('none' = 0, 'request' = 1, 'messaging_system' = 2, 'other' = 3)";

export const SERVICE_GRAPH_EDGES_COLUMNS: readonly ColumnDef[] = [
  // Within (minute, edge) the seconds only grow: DoubleDelta stores them in about a bit each.
  { name: 'Timestamp', type: 'DateTime', codec: 'DoubleDelta, ZSTD(1)' },
  { name: 'ClientStartOffset', type: 'Int32', codec: 'ZSTD(1)' },
  { name: 'ClientService', type: 'LowCardinality(String)', codec: 'ZSTD(1)' },
  { name: 'ServerService', type: 'LowCardinality(String)', codec: 'ZSTD(1)' },
  { name: 'ConnectionType', type: CONNECTION_TYPE_ENUM, codec: 'ZSTD(1)' },
  // Nanoseconds, exact (quantiles then equal the join's); T64 drops the always-zero high bytes.
  { name: 'ClientDuration', type: 'UInt64', codec: 'T64, ZSTD(1)' },
  { name: 'ServerDuration', type: 'UInt64', codec: 'T64, ZSTD(1)' },
  { name: 'ClientFailed', type: 'Bool', codec: 'ZSTD(1)' },
  { name: 'ServerFailed', type: 'Bool', codec: 'ZSTD(1)' },
];
export const SERVICE_GRAPH_EDGES_PARTITION_BY = 'toDate(Timestamp)';
export const SERVICE_GRAPH_EDGES_ORDER_BY =
  '(toStartOfMinute(Timestamp), ClientService, ServerService, ConnectionType, Timestamp)';
export const SERVICE_GRAPH_EDGES_TTL_FIELD = 'Timestamp';
export const SERVICE_GRAPH_EDGES_SETTINGS = 'index_granularity = 8192, ttl_only_drop_parts = 1';
/** A cluster spreads edge rows evenly: they have no trace to keep together. */
export const SERVICE_GRAPH_EDGES_SHARDING_KEY = 'rand()';
