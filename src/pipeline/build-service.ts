import type { TracesConsumer } from '../consumer/traces-consumer.js';
import type { TracesExporter } from '../exporters/traces-exporter.js';
import type { Logger } from '../logging/logger.js';
import type { TracesReceiver } from '../receivers/shared/receiver-settings.js';
import type { ComponentSettings, Extension, PipelineHost, TracesProcessor } from './component-factory.js';
import { FanoutConsumer } from './fanout-consumer.js';
import { PipelinesFanout } from './pipelines-fanout.js';
import { buildProcessorChain } from './processor-chain.js';
import { Service } from './service.js';
import type { ServiceConfig } from './service-config.js';

/**
 * Wires a validated config into components, as the Collector's service graph does, knowing
 * no component by name — only factories:
 * - one exporter per exporter id, shared by every pipeline that lists it;
 * - one processor chain per pipeline (a processor listed in two pipelines is two instances);
 * - one receiver per receiver id, feeding every pipeline that lists it;
 * - a pipeline with a processor that may change spans starts by forgetting the received bytes,
 *   so its exporters encode the changed spans instead of passing the bytes through;
 * - receivers may hand a pipeline undecoded requests (TracesConsumer.consumeTraceBytes) only when
 *   every processor and every exporter of it takes them; otherwise its head offers models only;
 * - with worker threads (`host.processorWorkers`), each run of stateless processors runs on them
 *   (processor-chain.ts has the rules for received bytes then).
 */
export async function buildService(
  config: ServiceConfig,
  logger: Logger,
  host: PipelineHost,
): Promise<Service> {
  const settings = (id: string): ComponentSettings => ({ id, logger: logger.child({ component: id }), host });
  const extensions: Extension[] = config.serviceExtensions.map((id) => {
    const c = config.extensions.get(id)!;
    return c.factory.create(settings(id), c.config);
  });

  const exporters = new Map<string, TracesExporter>();
  const processors: TracesProcessor[] = [];
  const heads = new Map<string, TracesConsumer[]>();
  try {
    for (const pipeline of config.pipelines) {
      for (const id of pipeline.exporters) {
        if (exporters.has(id)) continue;
        const c = config.exporters.get(id)!;
        exporters.set(id, await c.factory.createTraces(settings(id), c.config));
      }
      const fanout = new FanoutConsumer(pipeline.exporters.map((id) => exporters.get(id)!));
      const { head, processors: chain } = buildProcessorChain(
        pipeline,
        config,
        fanout,
        settings,
        host.processorWorkers,
      );
      processors.push(...chain);
      for (const id of pipeline.receivers) {
        const list = heads.get(id) ?? [];
        list.push(head);
        heads.set(id, list);
      }
    }
  } catch (error) {
    // An exporter already created may hold a resource (an opened store): release it.
    await Promise.allSettled([...exporters.values()].map((e) => e.shutdown()));
    throw error;
  }
  const receivers: TracesReceiver[] = [];
  for (const [id, pipelineHeads] of heads) {
    const c = config.receivers.get(id)!;
    const next = pipelineHeads.length === 1 ? pipelineHeads[0] : new PipelinesFanout(pipelineHeads);
    receivers.push(...c.factory.createTraces(settings(id), c.config, next));
  }
  return new Service(extensions, [...exporters.values()], processors, receivers, logger);
}
