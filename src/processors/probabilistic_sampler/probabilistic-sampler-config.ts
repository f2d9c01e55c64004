import { findAttribute } from '../../model/attributes.js';
import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import { newTracesProcessor } from '../processor-helper.js';
import { traceIdHash } from './trace-id-hash.js';

/** The Collector `probabilistic_sampler` (traces), in its `hash_seed` mode. */
export interface ProbabilisticSamplerConfig {
  samplingPercentage: number;
  hashSeed: number;
}

// The Collector's hash_seed mode: 14 bits of the hash decide, so the percentage has 1/16384 steps.
const HASH_BUCKETS = 0x4000;
const BUCKET_MASK = HASH_BUCKETS - 1;

/**
 * Keeps a trace when FNV-1a-32(seed, trace id bytes) & 0x3fff is below percentage × 163.84 —
 * the Collector's computation, so Tracehouse and Collectors with the same `hash_seed` keep the
 * same traces. A span's `sampling.priority` attribute overrides: 0 drops it, more keeps it.
 */
export function shouldSampleTrace(traceId: string, config: ProbabilisticSamplerConfig): boolean {
  const threshold = Math.floor(config.samplingPercentage * (HASH_BUCKETS / 100));
  return (traceIdHash(traceId, config.hashSeed) & BUCKET_MASK) < threshold;
}

export const probabilisticSamplerFactory: ProcessorFactory<ProbabilisticSamplerConfig> = {
  type: 'probabilistic_sampler',
  createDefaultConfig: () => ({ samplingPercentage: 0, hashSeed: 0 }),
  parseConfig(node) {
    // Only the hash_seed mode is implemented; the others are refused rather than silently replaced.
    node.get('mode').oneOf(['hash_seed'] as const, 'hash_seed');
    return {
      samplingPercentage: node.get('sampling_percentage').number(0, { min: 0 }),
      hashSeed: node.get('hash_seed').number(0, { min: 0, max: 0xffffffff, integer: true }),
    };
  },
  createTraces: (_settings, config, next) =>
    newTracesProcessor((data) => {
      for (const rs of data)
        for (const ss of rs.scopeSpans)
          ss.spans = ss.spans.filter((span) => {
            const priority = findAttribute(span.attributes, 'sampling.priority');
            if (typeof priority === 'bigint' || typeof priority === 'number') return Number(priority) > 0;
            return shouldSampleTrace(span.traceId, config);
          });
      return data;
    }, next),
};
