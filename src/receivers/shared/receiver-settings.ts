import type { RequestIdentity } from '../../auth/request-identity.js';
import type { TracesConsumer } from '../../consumer/traces-consumer.js';
import type { Logger } from '../../logging/logger.js';
import type { InflightLimiter } from './inflight-limiter.js';

/** What the runtime hands every receiver, apart from the receiver's own config. */
export interface ReceiverSettings {
  logger: Logger;
  /** Where accepted data goes: the first processor or the exporters' fan-out. */
  next: TracesConsumer;
  /** Shared by all receivers of the process, so memory is bounded across protocols. */
  limiter: InflightLimiter;
  /** Tenant and bearer-token rules; absent: `X-Scope-OrgID` or the default tenant, no authentication. */
  identity?: RequestIdentity;
}

/** A running receiver: `start()` binds its port, `shutdown()` stops taking requests and drains. */
export interface TracesReceiver {
  readonly component: string;
  start(): Promise<void>;
  shutdown(): Promise<void>;
  /** The bound address, with the real port once started (useful with port 0). */
  address(): string;
}
