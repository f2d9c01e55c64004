import type { ProcessorFactory } from '../../pipeline/component-factory.js';
import type { Policy } from './sampled-trace.js';
import { parsePolicy } from './policies.js';
import { TailSamplingProcessor } from './tail-sampling-processor.js';

export interface TailSamplingConfig {
  decisionWaitMs: number;
  numTraces: number;
  expectedNewTracesPerSec: number;
  policies: Policy[];
}

/** Defaults from the Collector's tail_sampling README: wait 30s, hold 50,000 traces; policies are required. */
export const tailSamplingProcessorFactory: ProcessorFactory<TailSamplingConfig> = {
  type: 'tail_sampling',
  createDefaultConfig: () => ({
    decisionWaitMs: 30_000,
    numTraces: 50_000,
    expectedNewTracesPerSec: 0,
    policies: [],
  }),
  parseConfig(node) {
    const policiesNode = node.get('policies');
    const policies = policiesNode.items().map((item) => parsePolicy(item));
    if (policies.length === 0) throw policiesNode.error('is required: at least one policy');
    return {
      decisionWaitMs: node.get('decision_wait').duration(30_000, { min: 1 }),
      numTraces: node.get('num_traces').number(50_000, { min: 1, integer: true }),
      // Only a sizing hint in the Collector; JavaScript maps size themselves.
      expectedNewTracesPerSec: node.get('expected_new_traces_per_sec').number(0, { min: 0, integer: true }),
      policies,
    };
  },
  createTraces: (settings, config, next) => new TailSamplingProcessor(config, next, settings.logger),
};
