import type { TracesConsumer } from '../consumer/traces-consumer.js';
import type {
  ComponentSettings,
  ProcessorFactory,
  ProcessorWorkers,
  TracesProcessor,
} from './component-factory.js';
import { ForgetRequestBytes } from './forget-request-bytes.js';
import { ModelOnlyHead } from './model-only-head.js';
import type { ConfiguredComponent, PipelineConfig, ServiceConfig } from './service-config.js';
import { ProcessorWorkerPool } from './worker-offload/processor-worker-pool.js';
import { runsOnWorkers } from './worker-offload/worker-processor-factories.js';
import { WorkerSegment } from './worker-offload/worker-segment.js';

type Processor = ConfiguredComponent<ProcessorFactory>;

/** A pipeline's processors in order, a maximal run of those that can run on workers as one stage. */
type Stage =
  | { readonly kind: 'main'; readonly processor: Processor }
  | { readonly kind: 'workers'; readonly run: Processor[] };

/**
 * Wires one pipeline's processors in front of `exporters` (its fan-out) and returns the head its
 * receivers hand data to, with every processor for the service to start and stop.
 *
 * Received bytes (model/request-bytes.ts) are attached by receivers and by worker segments, each
 * for exactly the batch it hands on; so the stretch of main-thread processors after each of them
 * (up to the next segment or the exporters) starts with ForgetRequestBytes if one of its
 * processors may change spans. The head offers undecoded requests only when every processor
 * up to the first segment, and the exporters if there is none, takes them. Without workers
 * there is no segment: one stretch, the pipeline as before.
 */
export function buildProcessorChain(
  pipeline: PipelineConfig,
  config: ServiceConfig,
  exporters: TracesConsumer,
  settings: (id: string) => ComponentSettings,
  workers: ProcessorWorkers | undefined,
): { head: TracesConsumer; processors: TracesProcessor[] } {
  const stages = planStages(
    pipeline.processors.map((id) => config.processors.get(id)!),
    (workers?.count ?? 0) > 0,
  );
  const idIn = (p: Processor): string => `${p.id} in ${pipeline.id}`;
  const processors: TracesProcessor[] = [];
  let next = exporters;
  let stretchMutates = false;
  let stretchTakesBytes = exporters.consumeTraceBytes !== undefined;
  for (const stage of stages.reverse()) {
    if (stage.kind === 'main') {
      const p = stage.processor;
      const processor = p.factory.createTraces(settings(idIn(p)), p.config, next);
      processors.unshift(processor);
      next = processor;
      if (processor.mutatesData !== false) stretchMutates = true;
      // A processor's offer is its own (batch offers bytes only if its next does).
      if (processor.consumeTraceBytes === undefined) stretchTakesBytes = false;
      continue;
    }
    const after = stretchMutates ? new ForgetRequestBytes(next) : next;
    const local: TracesProcessor[] = [];
    let localHead: TracesConsumer = after;
    for (const p of [...stage.run].reverse()) {
      const processor = p.factory.createTraces(settings(idIn(p)), p.config, localHead);
      local.unshift(processor);
      localHead = processor;
    }
    const ids = stage.run.map((p) => p.id).join(', ');
    const pool = new ProcessorWorkerPool({
      count: workers!.count,
      entry: workers!.entry,
      logger: settings(`${ids} in ${pipeline.id}`).logger,
      processorLoggers: new Map(stage.run.map((p) => [idIn(p), settings(idIn(p)).logger])),
      setup: {
        processors: stage.run.map((p) => ({ id: idIn(p), type: p.factory.type, ...p.source! })),
        logLevel: settings(ids).logger.level,
      },
    });
    const segment = new WorkerSegment(pool, new ForgetRequestBytes(localHead), local, after);
    processors.unshift(segment);
    next = segment;
    stretchMutates = false;
    stretchTakesBytes = true;
  }
  if (stretchMutates) next = new ForgetRequestBytes(next);
  else if (!stretchTakesBytes) next = new ModelOnlyHead(next);
  return { head: next, processors };
}

function planStages(processors: Processor[], useWorkers: boolean): Stage[] {
  const stages: Stage[] = [];
  for (const processor of processors) {
    const offload = useWorkers && processor.source !== undefined && runsOnWorkers(processor.factory);
    const last = stages.at(-1);
    if (!offload) stages.push({ kind: 'main', processor });
    else if (last?.kind === 'workers') last.run.push(processor);
    else stages.push({ kind: 'workers', run: [processor] });
  }
  return stages;
}
