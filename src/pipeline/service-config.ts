import type { LogLevel } from '../logging/logger.js';
import type {
  ExporterFactory,
  ExtensionFactory,
  ProcessorFactory,
  ReceiverFactory,
} from './component-factory.js';

/** One configured component: its id, the factory its type selects, and its parsed config. */
export interface ConfiguredComponent<F> {
  readonly id: string;
  readonly factory: F;
  readonly config: unknown;
  /**
   * The component's value as written (after `${env}` substitution), at `path`: plain YAML data,
   * so a worker thread can parse it again with the same factory (a parsed config may hold
   * functions, which cannot cross threads). Absent where a config was not read from YAML.
   */
  readonly source?: { readonly value: unknown; readonly path: string };
}

/** `service.pipelines.traces[/name]`. */
export interface PipelineConfig {
  readonly id: string;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

/** A whole config, parsed and validated: what the builder wires. */
export interface ServiceConfig {
  readonly receivers: ReadonlyMap<string, ConfiguredComponent<ReceiverFactory>>;
  readonly processors: ReadonlyMap<string, ConfiguredComponent<ProcessorFactory>>;
  readonly exporters: ReadonlyMap<string, ConfiguredComponent<ExporterFactory>>;
  readonly extensions: ReadonlyMap<string, ConfiguredComponent<ExtensionFactory>>;
  /** `service.extensions`: the extensions to run. */
  readonly serviceExtensions: readonly string[];
  readonly pipelines: readonly PipelineConfig[];
  /** `service.telemetry.logs.level`, when given. */
  readonly logLevel: LogLevel | undefined;
  /** Things worth a log line that are not errors (an unset environment variable). */
  readonly warnings: readonly string[];
}
