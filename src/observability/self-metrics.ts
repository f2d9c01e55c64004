import { MetricsRegistry } from './metrics-registry.js';

/**
 * The process's own metrics, served on the API port's `GET /metrics`. One registry per process,
 * as Prometheus clients keep a default registry: receivers, the store exporter and the API record
 * into these instruments without each being handed a meter. Names follow Prometheus conventions
 * (`_total` counters, `_seconds` and `_bytes` units); the receiver metrics mirror the Collector's
 * `otelcol_receiver_accepted_spans` / `otelcol_receiver_refused_spans`, with Tempo's tenant label.
 */
export const selfMetrics = new MetricsRegistry();

export const receiverAcceptedSpans = selfMetrics.counter(
  'tracehouse_receiver_accepted_spans_total',
  'Spans a receiver accepted into the pipeline.',
  ['receiver', 'tenant'],
);

export const receiverRefusedSpans = selfMetrics.counter(
  'tracehouse_receiver_refused_spans_total',
  'Spans a receiver refused: invalid_span (dropped, reported as partial success) or the rejection the pipeline gave (invalid, busy, unavailable, internal).',
  ['receiver', 'tenant', 'reason'],
);

export const receiverRefusedRequests = selfMetrics.counter(
  'tracehouse_receiver_refused_requests_total',
  'Export requests a receiver answered with an error, by reason (unauthenticated, forbidden, too-large, invalid, busy, unavailable, ...).',
  ['receiver', 'reason'],
);

export const processorWorkerRequests = selfMetrics.counter(
  'tracehouse_processor_worker_requests_total',
  'Requests the stateless processors handled on worker threads (--workers), by outcome: processed, refused (a processor refused the batch) or lost (the worker stopped before answering; the request runs once more on another worker, and is refused as retryable if that one stops too).',
  ['outcome'],
);

export const processorWorkerRestarts = selfMetrics.counter(
  'tracehouse_processor_worker_restarts_total',
  'Processor worker threads started to replace one that stopped (reason="stopped") or one that failed to start (reason="failed_to_start").',
  ['reason'],
);

export const walAppendSeconds = selfMetrics.histogram(
  'tracehouse_wal_append_duration_seconds',
  'Time to append a batch to the write-ahead log and fsync it (what a sender waits for).',
);

export const walDiskBytes = selfMetrics.gauge(
  'tracehouse_wal_bytes',
  'Bytes the write-ahead log holds on disk.',
);

export const walUnflushedBytes = selfMetrics.gauge(
  'tracehouse_wal_unflushed_bytes',
  'Bytes in the write-ahead log not yet flushed into ClickHouse.',
);

export const storeFlushSeconds = selfMetrics.histogram(
  'tracehouse_store_flush_duration_seconds',
  'Time of one flush of the write-ahead log into ClickHouse (read, insert per tenant, checkpoint).',
);

export const storeFlushFailures = selfMetrics.counter(
  'tracehouse_store_flush_failures_total',
  'Flushes of the write-ahead log into ClickHouse that failed and will be retried.',
);

export const storeInsertSeconds = selfMetrics.histogram(
  'tracehouse_store_insert_duration_seconds',
  'Time of one insert of span rows into ClickHouse, per tenant.',
  ['tenant'],
);

export const queryDurationSeconds = selfMetrics.histogram(
  'tracehouse_query_duration_seconds',
  'Time to answer a query API request, by route (the route pattern) and status code.',
  ['route', 'status_code'],
);

// Process memory under the names Prometheus client libraries use, so existing dashboards read them.
selfMetrics.gauge('process_resident_memory_bytes', 'Resident set size in bytes.', () =>
  process.memoryUsage.rss(),
);
selfMetrics.gauge(
  'nodejs_heap_size_total_bytes',
  'V8 heap size in bytes.',
  () => process.memoryUsage().heapTotal,
);
selfMetrics.gauge(
  'nodejs_heap_size_used_bytes',
  'V8 heap used in bytes.',
  () => process.memoryUsage().heapUsed,
);
selfMetrics.gauge(
  'nodejs_external_memory_bytes',
  'Memory of C++ objects bound to JavaScript (Buffers included), in bytes.',
  () => process.memoryUsage().external,
);
selfMetrics.gauge(
  'process_start_time_seconds',
  'Start time of the process since the Unix epoch, in seconds.',
  () => Math.round(Date.now() / 1000 - process.uptime()),
);

/** Seconds since `startMs` (a `performance.now()` reading). */
export function secondsSince(startMs: number): number {
  return (performance.now() - startMs) / 1000;
}

export const serviceGraphRowsInserted = selfMetrics.counter(
  'tracehouse_servicegraph_rows_inserted_total',
  'Service graph rows (pairs, roots, unpaired entry spans) inserted into tracehouse_service_graph_edges.',
  ['tenant'],
);

export const serviceGraphRowsDropped = selfMetrics.counter(
  'tracehouse_servicegraph_rows_dropped_total',
  'Service graph rows dropped because ClickHouse refused inserts for longer than the buffer holds.',
  ['tenant'],
);

export const serviceGraphEarlyExpiries = selfMetrics.counter(
  'tracehouse_servicegraph_early_expiries_total',
  'Times the pairing store was full (max items) and expired its older half before the wait: some pairs are then missed.',
  ['tenant'],
);
