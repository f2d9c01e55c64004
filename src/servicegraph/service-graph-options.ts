/**
 * Options of the service graph pairing in the store's write path, with their defaults in one
 * place. `waitMs` and `maxItems` are Tempo's metrics-generator `wait` and `max_items`; unlike
 * Tempo, every span waits (any span may be a parent: see ServiceGraphPairer), so the default
 * holds more: ~135 bytes a span (bench/RESULTS.md), ~28 MB at the default.
 */
export interface ServiceGraphOptions {
  /** Whether edges are paired at ingest at all; off leaves the service graph to the query-time join. */
  enabled: boolean;
  /** How long an unpaired span waits for its other side, at least (at most twice that). */
  waitMs: number;
  /** Most spans held per tenant; past half, the older half is expired early. */
  maxItems: number;
  /** How often buffered edge rows are inserted: a few large inserts, not one per batch. */
  flushIntervalMs: number;
  /** Edge-row bytes kept per tenant while ClickHouse refuses inserts; past it rows are dropped. */
  maxBufferedBytes: number;
}

export const DEFAULT_SERVICE_GRAPH_OPTIONS: ServiceGraphOptions = {
  enabled: true,
  waitMs: 10_000,
  maxItems: 200_000,
  flushIntervalMs: 5_000,
  maxBufferedBytes: 64 * 1024 * 1024,
};

/** Defaults merged once and checked: a bad value fails at start, naming the option. */
export function resolveServiceGraphOptions(options: Partial<ServiceGraphOptions> = {}): ServiceGraphOptions {
  const resolved = { ...DEFAULT_SERVICE_GRAPH_OPTIONS, ...options };
  for (const name of ['waitMs', 'maxItems', 'flushIntervalMs', 'maxBufferedBytes'] as const) {
    const value = resolved[name];
    if (!Number.isFinite(value) || value <= 0)
      throw new RangeError(`service graph option ${name} must be a positive number, got ${value}`);
  }
  return resolved;
}
