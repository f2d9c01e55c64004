import { totalmem } from 'node:os';
import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import { MemoryLimiterProcessor } from './memory-limiter-processor.js';

export interface MemoryLimiterConfig {
  checkIntervalMs: number;
  /** Hard limit in bytes. */
  limitBytes: number;
  /** Soft limit = hard limit − spike; above it data is refused. */
  spikeBytes: number;
  /** The least time between forced collections while above the soft limit (and below the hard one). */
  minGcIntervalSoftMs: number;
  /** The least time between forced collections while above the hard limit (0: at every check). */
  minGcIntervalHardMs: number;
}

const MIB = 1024 * 1024;

/**
 * The Collector `memory_limiter`: `check_interval` is required; the limit is `limit_mib` or
 * `limit_percentage` of total memory; the spike defaults to 20% of the limit, and forced
 * collections are at most every 10 s above the soft limit and at every check above the hard one
 * (`min_gc_interval_when_soft_limited`, `min_gc_interval_when_hard_limited`), as there.
 */
export const memoryLimiterProcessorFactory: ProcessorFactory<MemoryLimiterConfig> = {
  type: 'memory_limiter',
  createDefaultConfig: () => ({
    checkIntervalMs: 0,
    limitBytes: 0,
    spikeBytes: 0,
    minGcIntervalSoftMs: 10_000,
    minGcIntervalHardMs: 0,
  }),
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
    const softNode = node.get('min_gc_interval_when_soft_limited');
    const minGcIntervalSoftMs = softNode.duration(10_000, { min: 0 });
    const minGcIntervalHardMs = node.get('min_gc_interval_when_hard_limited').duration(0, { min: 0 });
    // The hard limit is the more urgent: it may not collect less often than the soft one.
    if (minGcIntervalSoftMs < minGcIntervalHardMs)
      throw softNode.error('must not be shorter than min_gc_interval_when_hard_limited');
    return { checkIntervalMs, limitBytes, spikeBytes, minGcIntervalSoftMs, minGcIntervalHardMs };
  },
  createTraces: (settings, config, next) => new MemoryLimiterProcessor(config, next, settings.logger),
};
