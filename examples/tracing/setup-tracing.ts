import { randomUUID } from 'node:crypto';
import type { Tracer } from '@opentelemetry/api';
import { diag, DiagConsoleLogger, DiagLogLevel } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  defaultResource,
  detectResources,
  envDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { BatchSpanProcessor, NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { ExporterChoice } from './exporter-from-env.js';
import { exporterFromEnv } from './exporter-from-env.js';
import { MetadataSpanProcessor } from './metadata-span-processor.js';
import { RedactionSpanProcessor } from './redaction-span-processor.js';
import { samplerFromEnv } from './sampler-from-env.js';
import { EXAMPLES_SCOPE } from './traced.js';

/** The examples' own version, reported as `service.version` unless `SERVICE_VERSION` says otherwise. */
export const EXAMPLES_VERSION = '1.0.0';

export interface TracingOptions {
  /** `service.name`; `OTEL_SERVICE_NAME` overrides it, as in every SDK. */
  serviceName: string;
  /** Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Make this provider the global one and W3C Trace Context the global propagator (default true).
   * In-process tests that start two services in one process register once.
   */
  register?: boolean;
}

export interface Tracing {
  readonly provider: NodeTracerProvider;
  readonly tracer: Tracer;
  readonly exporter: ExporterChoice;
  /** Exports what is still queued, then stops. Idempotent (the provider's own is). */
  shutdown(): Promise<void>;
}

/**
 * One service's tracing, set up by hand so every piece of the pipeline is visible:
 *
 *   span ─▶ MetadataSpanProcessor (adds environment, version, instance id)
 *        └▶ RedactionSpanProcessor ─▶ BatchSpanProcessor ─▶ exporter (console or OTLP, from env)
 *
 * with a sampler from `OTEL_TRACES_SAMPLER`/`_ARG` and a resource naming the service.
 *
 * Auto-instrumentation (`@opentelemetry/auto-instrumentations-node`, which needs Node 22 with the
 * versions current when this was written) would add HTTP and Express spans and inject/extract
 * `traceparent` by itself:
 *
 *   import { getNodeAutoInstrumentations } from '@opentelemetry/auto-instrumentations-node';
 *   import { registerInstrumentations } from '@opentelemetry/instrumentation';
 *   registerInstrumentations({ instrumentations: [getNodeAutoInstrumentations()] });
 *
 * The examples do both by hand instead, which is what that package automates.
 */
export function setupTracing(options: TracingOptions): Tracing {
  const env = options.env ?? process.env;
  // First, so that a bad sampler variable's warning is seen; export failures (collector not up
  // yet, wrong port) are worth a line too, and the SDK is silent by default.
  if (options.register !== false) diag.setLogger(new DiagConsoleLogger(), DiagLogLevel.WARN);
  const serviceName = env.OTEL_SERVICE_NAME?.trim() || options.serviceName;
  const version = env.SERVICE_VERSION?.trim() || EXAMPLES_VERSION;
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName, [ATTR_SERVICE_VERSION]: version }));

  const exporter = exporterFromEnv(env);
  const spanProcessors: SpanProcessor[] = [
    new MetadataSpanProcessor({
      environment: env.DEPLOYMENT_ENVIRONMENT?.trim() || 'development',
      version,
      instanceId: randomUUID(),
    }),
  ];
  if (exporter.exporter) {
    spanProcessors.push(
      new RedactionSpanProcessor(new BatchSpanProcessor(exporter.exporter), { salt: env.REDACTION_SALT }),
    );
  }
  const provider = new NodeTracerProvider({ resource, sampler: samplerFromEnv(env), spanProcessors });
  if (options.register !== false) provider.register({ propagator: new W3CTraceContextPropagator() });
  return {
    provider,
    tracer: provider.getTracer(EXAMPLES_SCOPE, version),
    exporter,
    shutdown: () => provider.shutdown(),
  };
}
