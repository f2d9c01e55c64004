import type { TracesExporter } from '../exporters/traces-exporter.js';
import type { Logger } from '../logging/logger.js';
import type { TracesReceiver } from '../receivers/shared/receiver-settings.js';
import type { Extension, TracesProcessor } from './component-factory.js';

/**
 * The running pipelines. Starts downstream first (extensions, exporters, processors, then the
 * receivers' listeners) so no data arrives before its path exists; shuts down upstream first
 * (receivers stop and drain, processors flush, exporters drain), so what was accepted is
 * delivered — the Collector's service start/shutdown order.
 */
export class Service {
  private stopping: Promise<void> | undefined;

  constructor(
    readonly extensions: readonly Extension[],
    private readonly exporters: readonly TracesExporter[],
    /** Upstream first, pipeline by pipeline (public, as the receivers, for tests and benchmarks). */
    readonly processors: readonly TracesProcessor[],
    readonly receivers: readonly TracesReceiver[],
    private readonly logger: Logger,
  ) {}

  /** Starts everything; if any part fails, what started is shut down and the error propagates. */
  async start(): Promise<void> {
    try {
      for (const extension of this.extensions) await extension.start();
      for (const exporter of this.exporters) await exporter.start();
      for (const processor of [...this.processors].reverse()) await processor.start();
    } catch (error) {
      await this.shutdown();
      throw error;
    }
    const started = await Promise.allSettled(this.receivers.map((r) => r.start()));
    const failure = started.find((result): result is PromiseRejectedResult => result.status === 'rejected');
    if (failure) {
      await this.shutdown();
      throw failure.reason;
    }
    for (const receiver of this.receivers)
      this.logger.info({ component: receiver.component, address: receiver.address() }, 'listening');
    for (const extension of this.extensions) extension.ready?.();
  }

  /** Idempotent; never throws — a component that fails to stop is logged and the rest still stop. */
  shutdown(): Promise<void> {
    return (this.stopping ??= this.stopAll());
  }

  private async stopAll(): Promise<void> {
    for (const extension of this.extensions) extension.notReady?.();
    const settle = async (what: string, stops: Promise<void>[]): Promise<void> => {
      for (const result of await Promise.allSettled(stops))
        if (result.status === 'rejected')
          this.logger.error({ err: result.reason as unknown }, `${what} failed to stop`);
    };
    await settle(
      'receiver',
      this.receivers.map((r) => r.shutdown()),
    );
    for (const processor of this.processors) await settle('processor', [processor.shutdown()]);
    await settle(
      'exporter',
      this.exporters.map((e) => e.shutdown()),
    );
    await settle(
      'extension',
      this.extensions.map((e) => e.shutdown()),
    );
  }
}
