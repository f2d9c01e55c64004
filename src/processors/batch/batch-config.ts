import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import { BatchProcessor } from './batch-processor.js';

/** The Collector `batch` processor's options. */
export interface BatchConfig {
  /** Spans after which a batch is sent regardless of the timeout. */
  sendBatchSize: number;
  /** Upper bound on a batch's spans; larger batches are split. 0: no bound. */
  sendBatchMaxSize: number;
  /** How long a batch may wait for more spans, in ms; 0 sends at once. */
  timeoutMs: number;
}

/** Defaults from the Collector's batch processor README: 8192 spans, no max, 200ms. */
const DEFAULTS: BatchConfig = { sendBatchSize: 8192, sendBatchMaxSize: 0, timeoutMs: 200 };

export const batchProcessorFactory: ProcessorFactory<BatchConfig> = {
  type: 'batch',
  createDefaultConfig: () => ({ ...DEFAULTS }),
  parseConfig(node): BatchConfig {
    const config: BatchConfig = {
      sendBatchSize: node.get('send_batch_size').number(DEFAULTS.sendBatchSize, { min: 0, integer: true }),
      sendBatchMaxSize: node
        .get('send_batch_max_size')
        .number(DEFAULTS.sendBatchMaxSize, { min: 0, integer: true }),
      timeoutMs: node.get('timeout').duration(DEFAULTS.timeoutMs, { min: 0 }),
    };
    // The Collector's Validate: a max below the size could never be honoured.
    if (config.sendBatchMaxSize > 0 && config.sendBatchMaxSize < config.sendBatchSize)
      throw node
        .get('send_batch_max_size')
        .error(
          `must be 0 or at least send_batch_size (${config.sendBatchSize}), got ${config.sendBatchMaxSize}`,
        );
    return config;
  },
  createTraces: (_settings, config, next) => new BatchProcessor(config, next),
};
