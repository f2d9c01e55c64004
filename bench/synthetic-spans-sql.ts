import { quoteIdentifier } from '../src/store/schema/sql-quote.js';

/** The shape of the generated data, so queries can name what is in it. */
export const SYNTHETIC = {
  spansPerTrace: 10,
  services: 20,
  /** Span names per service slot. */
  names: 50,
  users: 10_000,
} as const;

/**
 * One INSERT … SELECT that makes `spans` spans inside ClickHouse itself, over the `hours` before
 * `nowSeconds` — 10 million in about a minute, where sending them through the write-ahead log
 * would take several: the query benchmarks measure reading, not writing. Each trace has 10 spans
 * across two services (a root, a client span calling another service's server span, and work
 * spans), a status code attribute typed int, a route, a user id and an environment; ~1% of
 * spans are errors; durations spread from 0 to ~1 s, ~10% above 300 ms.
 */
export function syntheticSpansSql(
  database: string,
  spans: number,
  nowSeconds: number,
  hours: number,
): string {
  const traces = Math.ceil(spans / SYNTHETIC.spansPerTrace);
  const spanSeconds = hours * 3600;
  return `INSERT INTO ${quoteIdentifier(database)}.otel_traces
  (Timestamp, TraceId, SpanId, ParentSpanId, SpanName, SpanKind, ServiceName, ResourceAttributes,
   ScopeName, ScopeVersion, SpanAttributes, SpanAttributeTypes, Duration, StatusCode, StatusMessage)
SELECT
  fromUnixTimestamp64Nano(toInt64(${nowSeconds} - ${spanSeconds} + intDiv(trace * ${spanSeconds}, ${traces})) * 1000000000 + toInt64(i) * 1000000 + toInt64(trace % 1000) * 1000) AS Timestamp,
  concat(leftPad(lower(hex(cityHash64(trace, 1))), 16, '0'), leftPad(lower(hex(cityHash64(trace, 2))), 16, '0')) AS TraceId,
  leftPad(lower(hex(cityHash64(trace, i, 3))), 16, '0') AS SpanId,
  multiIf(i = 0, '', i IN (1, 2, 3), leftPad(lower(hex(cityHash64(trace, 0, 3))), 16, '0'), leftPad(lower(hex(cityHash64(trace, 3, 3))), 16, '0')) AS ParentSpanId,
  concat('op-', toString((trace % ${SYNTHETIC.names / 5}) * 5 + (i % 5))) AS SpanName,
  multiIf(i = 0, 'Server', i = 3, 'Client', i = 4, 'Server', 'Internal') AS SpanKind,
  concat('service-', toString((trace + intDiv(i, 4)) % ${SYNTHETIC.services})) AS ServiceName,
  map('service.name', ServiceName, 'deployment.environment', if(trace % 3 = 0, 'staging', 'prod'), 'host.name', concat('host-', toString(trace % 50))) AS ResourceAttributes,
  'synthetic' AS ScopeName, '1.0.0' AS ScopeVersion,
  map('http.status_code', if(cityHash64(trace, i, 5) % 100 = 0, '500', '200'), 'http.route', concat('/api/v1/items/', toString(i)), 'user.id', toString(trace % ${SYNTHETIC.users})) AS SpanAttributes,
  map('http.status_code', 'int') AS SpanAttributeTypes,
  toUInt64(cityHash64(trace, i, 4) % 1000) * 1000000 + 1000 AS Duration,
  if(SpanAttributes['http.status_code'] = '500', 'Error', 'Unset') AS StatusCode,
  if(StatusCode = 'Error', 'internal error', '') AS StatusMessage
FROM (SELECT intDiv(number, ${SYNTHETIC.spansPerTrace}) AS trace, number % ${SYNTHETIC.spansPerTrace} AS i FROM numbers(${spans}))
SETTINGS max_insert_threads = 2, max_block_size = 262144`;
}
