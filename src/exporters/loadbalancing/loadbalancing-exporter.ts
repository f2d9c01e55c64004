import { RetryableError } from '../../consumer/errors.js';
import type { ConsumeContext } from '../../consumer/traces-consumer.js';
import type { TracesData } from '../../model/span.js';
import type { TracesExporter } from '../traces-exporter.js';
import type { HashRing } from './hash-ring.js';
import type { RoutingKey } from './split-by-backend.js';
import { splitByBackend } from './split-by-backend.js';

/**
 * The Collector's `loadbalancing` exporter over a fixed set of backends, each a full `otlp`
 * exporter (its own queue and retries): a batch is split by the hash ring and each part handed to
 * its backend. A backend that is down holds up only its own part, in its own queue.
 */
export class LoadBalancingExporter implements TracesExporter {
  private stopping: Promise<void> | undefined;

  constructor(
    readonly component: string,
    private readonly ring: HashRing,
    /** By the name the ring knows them by (the hostname as configured). */
    private readonly backends: ReadonlyMap<string, TracesExporter>,
    private readonly routingKey: RoutingKey,
  ) {}

  async start(): Promise<void> {
    const started = await Promise.allSettled([...this.backends.values()].map((b) => b.start()));
    const failed = started.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) {
      await this.shutdown();
      throw failed.reason;
    }
  }

  async consumeTraces(data: TracesData, context: ConsumeContext): Promise<void> {
    const parts = splitByBackend(data, this.ring, this.routingKey);
    if (parts.size === 1) {
      const [[backend, part]] = parts;
      return this.backends.get(backend)!.consumeTraces(part, context);
    }
    const results = await Promise.allSettled(
      [...parts].map(([backend, part]) => this.backends.get(backend)!.consumeTraces(part, context)),
    );
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length === 0) return;
    // One retryable failure makes the whole batch retryable: the sender resends it and the backends
    // that took their part get it twice (at-least-once, as with the Collector's joined errors).
    throw failures.find((f) => f instanceof RetryableError) ?? failures[0];
  }

  shutdown(): Promise<void> {
    return (this.stopping ??= Promise.allSettled([...this.backends.values()].map((b) => b.shutdown())).then(
      () => undefined,
    ));
  }
}
