import type { PendingSpan } from './pending-span.js';

/**
 * The spans that arrived during one wait period: parents under their span id, children under
 * their parent's span id (each a chain, as ids may repeat across traces). Expiry drops a whole
 * generation at once — no timestamp per span, no sweep of the young ones.
 */
export class PairingGeneration {
  readonly parents = new Map<string, PendingSpan>();
  readonly children = new Map<string, PendingSpan>();
  /** Map memberships held (a span waiting as both parent and child counts twice). */
  size = 0;
}
