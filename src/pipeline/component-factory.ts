import type { Component, TracesConsumer } from '../consumer/traces-consumer.js';
import type { TracesExporter } from '../exporters/traces-exporter.js';
import type { RequestIdentity } from '../auth/request-identity.js';
import type { Logger } from '../logging/logger.js';
import type { InflightLimiter } from '../receivers/shared/inflight-limiter.js';
import type { TracesReceiver } from '../receivers/shared/receiver-settings.js';
import type { ConfigNode } from './config-node.js';

/**
 * What the running process offers every component (the Collector's `component.Host` plus its
 * `TelemetrySettings`): apart from the component's own config, and the same for all of them.
 */
export interface PipelineHost {
  /** Bounds request bytes across all receivers of the process. */
  readonly limiter: InflightLimiter;
  /** The store this process writes to, for the `store` exporter; absent when it has none. */
  readonly openStoreExporter?: () => Promise<TracesExporter>;
  /** Tenant and bearer-token rules every receiver applies; absent: `X-Scope-OrgID` or the default tenant. */
  readonly identity?: RequestIdentity;
  /**
   * Worker threads for the stateless processors of each pipeline (worker-offload/): a Tracehouse
   * setting (`--workers`), as the Collector's YAML has no such key. Absent or 0: every processor
   * runs on the main thread.
   */
  readonly processorWorkers?: ProcessorWorkers;
}

/** How many worker threads run a pipeline's stateless processors, and from which compiled script. */
export interface ProcessorWorkers {
  readonly count: number;
  /** The worker's compiled entry; absent: the one next to the running code (worker-offload/processor-worker.js). */
  readonly entry?: URL;
}

/** Settings the builder hands a factory with the component's config. */
export interface ComponentSettings {
  /** The component id as written in the config: `type` or `type/name`. */
  readonly id: string;
  readonly logger: Logger;
  readonly host: PipelineHost;
}

/**
 * A processor in a running pipeline: consumes, hands on to its next consumer, has a lifetime.
 * `mutatesData` is the Collector's `consumer.Capabilities.MutatesData`. Only a processor that
 * hands on exactly the spans it got, unchanged (regrouped at most), declares `false`; absent
 * counts as true. The builder relies on it for pass-through (model/request-bytes.ts).
 */
export type TracesProcessor = TracesConsumer & Component & { readonly mutatesData?: boolean };

/** An extension: a component outside the data path (health check). */
export interface Extension extends Component {
  readonly component: string;
  /**
   * The Collector's `PipelineWatcher`: told when every pipeline is running (after the receivers
   * listen) and when they stop being so (before the receivers stop). Optional.
   */
  ready?(): void;
  notReady?(): void;
}

/**
 * What every factory has, as in the Collector: a type name, the default config (the documented
 * defaults, in one place) and a parser that reads the user's YAML over those defaults and
 * validates it, failing with the path of the bad value. Methods (not function properties) so a
 * factory of a concrete config type is usable where any factory is.
 */
export interface Factory<Config> {
  readonly type: string;
  createDefaultConfig(): Config;
  parseConfig(node: ConfigNode): Config;
}

export interface ReceiverFactory<Config = unknown> extends Factory<Config> {
  /** One receiver component may listen on several ports (OTLP: gRPC and HTTP), hence a list. */
  createTraces(settings: ComponentSettings, config: Config, next: TracesConsumer): TracesReceiver[];
}

export interface ProcessorFactory<Config = unknown> extends Factory<Config> {
  createTraces(settings: ComponentSettings, config: Config, next: TracesConsumer): TracesProcessor;
}

export interface ExporterFactory<Config = unknown> extends Factory<Config> {
  createTraces(settings: ComponentSettings, config: Config): TracesExporter | Promise<TracesExporter>;
}

export interface ExtensionFactory<Config = unknown> extends Factory<Config> {
  create(settings: ComponentSettings, config: Config): Extension;
}

/** The factories a build knows, by type (the Collector's `otelcol.Factories`). */
export interface ComponentRegistry {
  readonly receivers: ReadonlyMap<string, ReceiverFactory>;
  readonly processors: ReadonlyMap<string, ProcessorFactory>;
  readonly exporters: ReadonlyMap<string, ExporterFactory>;
  readonly extensions: ReadonlyMap<string, ExtensionFactory>;
}

export function registryOf(factories: {
  receivers?: ReceiverFactory[];
  processors?: ProcessorFactory[];
  exporters?: ExporterFactory[];
  extensions?: ExtensionFactory[];
}): ComponentRegistry {
  const byType = <F extends { type: string }>(list: F[] = []): ReadonlyMap<string, F> =>
    new Map(list.map((f) => [f.type, f]));
  return {
    receivers: byType(factories.receivers),
    processors: byType(factories.processors),
    exporters: byType(factories.exporters),
    extensions: byType(factories.extensions),
  };
}
