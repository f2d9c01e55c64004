import { attributesProcessorFactory } from '../../processors/attributes/attributes-config.js';
import { filterProcessorFactory } from '../../processors/filter/filter-config.js';
import { probabilisticSamplerFactory } from '../../processors/probabilistic_sampler/probabilistic-sampler-config.js';
import { redactionProcessorFactory } from '../../processors/redaction/redaction-config.js';
import { resourceProcessorFactory } from '../../processors/resource/resource-config.js';
import { spanProcessorFactory } from '../../processors/span/span-config.js';
import { transformProcessorFactory } from '../../processors/transform/transform-config.js';
import type { ProcessorFactory } from '../component-factory.js';

/**
 * The processors that may run on a worker thread: each handles a batch as a pure function of the
 * batch and its config (processor-helper.ts) — no state from one request to the next, no timers,
 * no self-metrics, nothing from the main thread but a logger (transform's `error_mode: ignore`,
 * relayed). batch, memory_limiter and tail_sampling hold state across requests and stay on the
 * main thread. The worker builds its processors from this list, so a factory is offloaded only
 * if it is this very object (a test registry's look-alike is not).
 */
export const WORKER_PROCESSOR_FACTORIES: ReadonlyMap<string, ProcessorFactory> = new Map(
  (
    [
      attributesProcessorFactory,
      resourceProcessorFactory,
      redactionProcessorFactory,
      filterProcessorFactory,
      probabilisticSamplerFactory,
      spanProcessorFactory,
      transformProcessorFactory,
    ] as ProcessorFactory[]
  ).map((factory) => [factory.type, factory]),
);

export function runsOnWorkers(factory: ProcessorFactory): boolean {
  return WORKER_PROCESSOR_FACTORIES.get(factory.type) === factory;
}
