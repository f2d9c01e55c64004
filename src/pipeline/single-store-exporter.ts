import type { TracesExporter } from '../exporters/traces-exporter.js';

/**
 * A process has one store and so one store exporter: the first `store` exporter in a config
 * gets it, a second (`store/other`) is refused rather than starting the same log twice.
 */
export function singleStoreExporter(open: () => Promise<TracesExporter>): () => Promise<TracesExporter> {
  let taken = false;
  return () => {
    if (taken)
      return Promise.reject(
        new Error('only one store exporter can run in a process; list the same "store" in every pipeline'),
      );
    taken = true;
    return open();
  };
}
