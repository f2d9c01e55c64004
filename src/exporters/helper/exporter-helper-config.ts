import type { ConfigNode } from '../../pipeline/config-node.js';

/** `retry_on_failure` of the Collector's exporterhelper. Durations in ms. */
export interface RetryConfig {
  enabled: boolean;
  initialIntervalMs: number;
  maxIntervalMs: number;
  /** 0: retry forever. */
  maxElapsedTimeMs: number;
  multiplier: number;
  randomizationFactor: number;
}

/** `sending_queue` of the Collector's exporterhelper; `storage` makes it persistent (a directory here). */
export interface QueueConfig {
  enabled: boolean;
  numConsumers: number;
  /** Batches the queue holds; past it new data is refused with a retryable error. */
  queueSize: number;
  /** Folder for a persistent queue; undefined keeps the queue in memory. */
  storage: string | undefined;
}

export interface ExporterHelperConfig {
  timeoutMs: number;
  retry: RetryConfig;
  queue: QueueConfig;
}

/** Defaults from the Collector's exporterhelper README. */
export const EXPORTER_HELPER_DEFAULTS: ExporterHelperConfig = {
  timeoutMs: 5000,
  retry: {
    enabled: true,
    initialIntervalMs: 5000,
    maxIntervalMs: 30_000,
    maxElapsedTimeMs: 300_000,
    multiplier: 1.5,
    randomizationFactor: 0.5,
  },
  queue: { enabled: true, numConsumers: 10, queueSize: 1000, storage: undefined },
};

/**
 * Reads `timeout`, `retry_on_failure` and `sending_queue` from an exporter's config. An exporter
 * whose Collector counterpart has other defaults passes them (`otlphttp`: timeout 30s).
 */
export function parseExporterHelperConfig(
  node: ConfigNode,
  d: ExporterHelperConfig = EXPORTER_HELPER_DEFAULTS,
): ExporterHelperConfig {
  const retry = node.get('retry_on_failure');
  const queue = node.get('sending_queue');
  return {
    timeoutMs: node.get('timeout').duration(d.timeoutMs, { min: 0 }),
    retry: {
      enabled: retry.get('enabled').bool(d.retry.enabled),
      initialIntervalMs: retry.get('initial_interval').duration(d.retry.initialIntervalMs, { min: 0 }),
      maxIntervalMs: retry.get('max_interval').duration(d.retry.maxIntervalMs, { min: 0 }),
      maxElapsedTimeMs: retry.get('max_elapsed_time').duration(d.retry.maxElapsedTimeMs, { min: 0 }),
      multiplier: retry.get('multiplier').number(d.retry.multiplier, { min: 1 }),
      randomizationFactor: retry
        .get('randomization_factor')
        .number(d.retry.randomizationFactor, { min: 0, max: 1 }),
    },
    queue: {
      enabled: queue.get('enabled').bool(d.queue.enabled),
      numConsumers: queue.get('num_consumers').number(d.queue.numConsumers, { min: 1, integer: true }),
      queueSize: queue.get('queue_size').number(d.queue.queueSize, { min: 1, integer: true }),
      storage: parseStorageDir(queue.get('storage')),
    },
  };
}

/**
 * In the Collector `storage` names a storage extension (`file_storage`); Tracehouse's persistent
 * queue writes to a directory instead. A bare name is refused rather than read as a folder.
 */
function parseStorageDir(node: ConfigNode): string | undefined {
  const dir = node.optionalString();
  if (dir !== undefined && !/^(\/|\.\.?\/)/.test(dir))
    throw node.error(
      `expected a directory path (absolute, or starting with ./), got "${dir}": the persistent queue writes to a directory, not to a storage extension`,
    );
  return dir;
}
