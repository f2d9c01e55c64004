import type { ExporterFactory } from '../../pipeline/component-factory.js';
import type { DebugExporterConfig, DebugVerbosity } from './debug-exporter.js';
import { DebugExporter } from './debug-exporter.js';

const VERBOSITIES: readonly DebugVerbosity[] = ['basic', 'normal', 'detailed'];

/** The Collector `debug` exporter: `verbosity` basic | normal | detailed, default basic as there. */
export const debugExporterFactory: ExporterFactory<DebugExporterConfig> = {
  type: 'debug',
  createDefaultConfig: () => ({ verbosity: 'basic' }),
  parseConfig: (node) => ({ verbosity: node.get('verbosity').oneOf(VERBOSITIES, 'basic') }),
  createTraces: (_settings, config) => new DebugExporter(config),
};
