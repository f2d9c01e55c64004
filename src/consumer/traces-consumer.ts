import type { TracesData } from '../model/span.js';

/** Request-scoped facts a receiver hands down with the data. */
export interface ConsumeContext {
  /** Tenant that owns the data (Tempo's `X-Scope-OrgID`); 'single-tenant' when none was given. */
  tenant: string;
}

/**
 * The seam between pipeline stages. Resolves once the data is accepted (for a store: durably);
 * rejects with `PermanentError` or `RetryableError` when it is refused. The callee may keep and
 * mutate `data`: a caller hands over ownership.
 */
export interface TracesConsumer {
  consumeTraces(data: TracesData, context: ConsumeContext): Promise<void>;
}

/** Anything with a lifetime: `start()` once, `shutdown()` idempotent and draining what was accepted. */
export interface Component {
  start(): Promise<void>;
  shutdown(): Promise<void>;
}
