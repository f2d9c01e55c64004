import { debugExporterFactory } from '../exporters/debug/debug-exporter-factory.js';
import { fileExporterFactory } from '../exporters/file/file-exporter-factory.js';
import { loadBalancingExporterFactory } from '../exporters/loadbalancing/loadbalancing-exporter-factory.js';
import { nopExporterFactory } from '../exporters/nop/nop-exporter-factory.js';
import { otlpExporterFactory } from '../exporters/otlp/otlp-exporter-factory.js';
import { otlpHttpExporterFactory } from '../exporters/otlphttp/otlphttp-exporter-factory.js';
import { storeExporterFactory } from '../exporters/store/store-exporter-factory.js';
import { healthCheckExtensionFactory } from '../extensions/health-check/health-check-factory.js';
import { attributesProcessorFactory } from '../processors/attributes/attributes-config.js';
import { batchProcessorFactory } from '../processors/batch/batch-config.js';
import { filterProcessorFactory } from '../processors/filter/filter-config.js';
import { memoryLimiterProcessorFactory } from '../processors/memory_limiter/memory-limiter-config.js';
import { probabilisticSamplerFactory } from '../processors/probabilistic_sampler/probabilistic-sampler-config.js';
import { redactionProcessorFactory } from '../processors/redaction/redaction-config.js';
import { resourceProcessorFactory } from '../processors/resource/resource-config.js';
import { spanProcessorFactory } from '../processors/span/span-config.js';
import { tailSamplingProcessorFactory } from '../processors/tail_sampling/tail-sampling-config.js';
import { transformProcessorFactory } from '../processors/transform/transform-config.js';
import { otlpReceiverFactory } from '../receivers/otlp/otlp-receiver-factory.js';
import { zipkinReceiverFactory } from '../receivers/zipkin/zipkin-receiver-factory.js';
import type { ComponentRegistry } from './component-factory.js';
import { registryOf } from './component-factory.js';

/** Every component this build of Tracehouse offers to a config: the one place that lists them by name. */
export function builtinComponents(): ComponentRegistry {
  return registryOf({
    receivers: [otlpReceiverFactory, zipkinReceiverFactory],
    processors: [
      batchProcessorFactory,
      memoryLimiterProcessorFactory,
      attributesProcessorFactory,
      resourceProcessorFactory,
      filterProcessorFactory,
      probabilisticSamplerFactory,
      redactionProcessorFactory,
      tailSamplingProcessorFactory,
      spanProcessorFactory,
      transformProcessorFactory,
    ],
    exporters: [
      storeExporterFactory,
      debugExporterFactory,
      nopExporterFactory,
      otlpExporterFactory,
      otlpHttpExporterFactory,
      fileExporterFactory,
      loadBalancingExporterFactory,
    ],
    extensions: [healthCheckExtensionFactory],
  });
}
