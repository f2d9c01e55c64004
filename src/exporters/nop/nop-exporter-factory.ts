import type { ExporterFactory } from '../../pipeline/component-factory.js';
import { NopExporter } from './nop-exporter.js';

/** The Collector `nop` exporter: accepts and discards everything; no keys. */
export const nopExporterFactory: ExporterFactory<Record<string, never>> = {
  type: 'nop',
  createDefaultConfig: () => ({}),
  parseConfig: () => ({}),
  createTraces: () => new NopExporter(),
};
