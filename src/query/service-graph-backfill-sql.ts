import { TRACES_TABLE } from '../store/schema/collector-traces-schema.js';
import {
  SERVICE_GRAPH_EDGES_COLUMNS,
  SERVICE_GRAPH_EDGES_TABLE,
} from '../store/schema/service-graph-edges-schema.js';
import { qualifiedName } from '../store/schema/sql-quote.js';
import { SPAN_INSERT_SETTINGS_SQL } from '../store/driver/clickhouse-driver.js';
import { IS_ERROR_SQL } from './span-kinds.js';

const IS_SERVER_SQL = "SpanKind IN ('Server', 'SPAN_KIND_SERVER')";
const IS_CONSUMER_SQL = "SpanKind IN ('Consumer', 'SPAN_KIND_CONSUMER')";

/**
 * Statements that fill `tracehouse_service_graph_edges` from the spans already in `otel_traces`,
 * with the rows the ingest-time pairer (src/servicegraph) would have made had it seen every span
 * with an unlimited wait: one for the roots, one join for the children (a RIGHT JOIN, so an entry
 * span without a stored parent still makes its `none` row). For data that bypassed the store
 * exporter: the query benchmark's generated spans, tests, or spans the OpenTelemetry Collector
 * wrote. The whole table is read: run it on a database whose edge table is empty.
 */
export function backfillServiceGraphEdgesSql(database: string): string[] {
  const spans = qualifiedName(database, TRACES_TABLE);
  const columns = SERVICE_GRAPH_EDGES_COLUMNS.map((c) => c.name).join(', ');
  // Spans of many days reach many partitions in one insert (SPAN_INSERT_SETTINGS_SQL: why).
  const edges = `${qualifiedName(database, SERVICE_GRAPH_EDGES_TABLE)} (${columns}) SETTINGS ${SPAN_INSERT_SETTINGS_SQL}`;
  return [
    `INSERT INTO ${edges}
     SELECT toDateTime(Timestamp), 0, '', ServiceName, 'none', 0, Duration, false, ${IS_ERROR_SQL}
     FROM ${spans} WHERE ParentSpanId = ''`,
    // Same hash key as the query-time join (service-graph-join.ts), so the same pairs.
    `INSERT INTO ${edges}
     SELECT toDateTime(c.Timestamp) AS ts,
            if(p.matched = 1, toInt32(toUnixTimestamp(p.Timestamp)) - toInt32(toUnixTimestamp(c.Timestamp)), 0) AS clientOffset,
            if(p.matched = 1, p.ServiceName, '') AS clientService, c.ServiceName AS serverService,
            if(p.matched = 1, c.type, 'none') AS connectionType,
            if(p.matched = 1, p.Duration, 0) AS clientDuration, c.Duration AS serverDuration,
            p.matched = 1 AND p.failed AS clientFailed, c.failed AS serverFailed
     FROM (SELECT cityHash64(TraceId, SpanId) AS k, ServiceName, Timestamp, Duration, ${IS_ERROR_SQL} AS failed,
                  toUInt8(1) AS matched
           FROM ${spans}) AS p
     RIGHT JOIN (SELECT cityHash64(TraceId, ParentSpanId) AS k, ServiceName, Timestamp, Duration, ${IS_ERROR_SQL} AS failed,
                        multiIf(${IS_SERVER_SQL}, 'request', ${IS_CONSUMER_SQL}, 'messaging_system', 'other') AS type
                 FROM ${spans} WHERE ParentSpanId != '') AS c
     ON p.k = c.k
     WHERE c.type != 'other' OR (p.matched = 1 AND p.ServiceName != c.ServiceName)`,
  ];
}
