import type { ConnectionType } from './connection-type.js';

/**
 * What the pairer remembers of one span while it waits: as a parent for children still to come
 * (chained by `nextSameId`, under the key of its span id) and, when it has a parent that has not
 * arrived, as a child (chained by `nextSibling`, under the key of its parent's span id). The keys
 * are span-id-key.ts's, which ids may share, so a chain is checked against `spanId` and
 * `awaitedId`. One object per span, no more: the hot path allocates nothing else that outlives
 * the batch.
 */
export class PendingSpan {
  nextSameId: PendingSpan | undefined = undefined;
  nextSibling: PendingSpan | undefined = undefined;
  /** The parent span id it waits for as a child; '' until it waits (most spans never do). */
  awaitedId = '';

  constructor(
    readonly traceId: string,
    readonly spanId: string,
    readonly service: string,
    /** Start, whole Unix seconds. */
    readonly startSeconds: number,
    /** Nanoseconds; 0 when the end is before the start, as otel_traces stores it. */
    readonly duration: number,
    readonly failed: boolean,
    /** As a child: what kind of edge it makes (connection-type.ts). */
    readonly type: ConnectionType,
  ) {}
}
