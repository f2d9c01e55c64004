import type { ConnectionType } from './connection-type.js';

/**
 * What the pairer remembers of one span while it waits: as a parent for children still to come
 * (chained by `nextSameId`, under its span id) and, when it has a parent that has not arrived, as
 * a child (chained by `nextSibling`, under its parent's span id). One object per span, no more:
 * the hot path allocates nothing else that outlives the batch.
 */
export class PendingSpan {
  nextSameId: PendingSpan | undefined = undefined;
  nextSibling: PendingSpan | undefined = undefined;

  constructor(
    readonly traceId: string,
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
