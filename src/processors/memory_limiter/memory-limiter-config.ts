import { totalmem } from 'node:os';
import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import { MemoryLimiterProcessor } from './memory-limiter-processor.js';

export interface MemoryLimiterConfig {
  checkIntervalMs: number;
  /** Hard limit in bytes. */
  limitBytes: number;
  /** Soft limit = hard limit − spike; above it data is refused. */
  spikeBytes: number;
}

const MIB = 1024 * 1024;

/**
 * The Collector `memory_limiter`: `check_interval` is required; the limit is `limit_mib` or
 * `limit_percentage` of total memory; the spike defaults to 20% of the limit, as there.
 */
export const memoryLimiterProcessorFactory: ProcessorFactory<MemoryLimiterConfig> = {
  type: 'memory_limiter',
  createDefaultConfig: () => ({ checkIntervalMs: 0, limitBytes: 0, spikeBytes: 0 }),
  parseConfig(node) {
    const checkIntervalMs = node.get('check_interval').duration(0, { min: 0 });
    if (checkIntervalMs <= 0) throw node.get('check_interval').error('must be greater than zero, e.g. 1s');
    const limitMib = node.get('limit_mib').number(0, { min: 0 });
    const spikeMib = node.get('spike_limit_mib').number(0, { min: 0 });
    const limitPercentage = node.get('limit_percentage').number(0, { min: 0, max: 100 });
    const spikePercentage = node.get('spike_limit_percentage').number(0, { min: 0, max: 100 });
    let limitBytes: number;
    let spikeBytes: number;
    if (limitMib > 0) {
      limitBytes = limitMib * MIB;
      spikeBytes = spikeMib > 0 ? spikeMib * MIB : limitBytes / 5;
    } else if (limitPercentage > 0) {
      limitBytes = (totalmem() * limitPercentage) / 100;
      spikeBytes = spikePercentage > 0 ? (totalmem() * spikePercentage) / 100 : limitBytes / 5;
    } else {
      throw node.error('needs limit_mib or limit_percentage');
    }
    if (spikeBytes >= limitBytes) throw node.error('the spike limit must be below the limit');
    return { checkIntervalMs, limitBytes, spikeBytes };
  },
  createTraces: (settings, config, next) => new MemoryLimiterProcessor(config, next, settings.logger),
};
