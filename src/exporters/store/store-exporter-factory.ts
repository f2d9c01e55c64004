import type { ExporterFactory } from '../../pipeline/component-factory.js';

/**
 * The `store` exporter: spans into Tracehouse's own storage (write-ahead log, then ClickHouse).
 * It has no keys of its own: where and how the store lives is the process's business (`tracehouse
 * start` flags and environment), so one process has one store however many pipelines use it.
 */
export const storeExporterFactory: ExporterFactory<Record<string, never>> = {
  type: 'store',
  createDefaultConfig: () => ({}),
  parseConfig: () => ({}),
  async createTraces(settings) {
    const open = settings.host.openStoreExporter;
    if (!open) throw new Error(`exporter "${settings.id}": this process has no store`);
    return open();
  },
};
