import { UnpinnedStrings } from '../otlp/protobuf/unpinned-strings.js';
import { findAttribute } from '../model/attributes.js';
import type { TracesData } from '../model/span.js';
import { StatusCode } from '../model/span.js';
import { ConnectionType, connectionTypeOfChild } from './connection-type.js';
import type { EdgeSink } from './edge-sink.js';
import { PairingGeneration } from './pairing-generation.js';
import { PendingSpan } from './pending-span.js';
import { spanIdKey } from './span-id-key.js';
import { durationNanos, startSeconds } from './span-times.js';

export interface PairingOptions {
  /** How long an unpaired span waits for its other side, at least (Tempo's `wait`). */
  waitMs: number;
  /** Most spans held waiting (Tempo's `max_items`); past half of it a generation expires early. */
  maxItems: number;
}

/**
 * A batch as pairing needs it (ServiceGraphPairer.prepare): its spans in order (each with its own
 * span id), the keys of their span ids (span-id-key.ts), and their parents' ids and keys.
 */
export interface PairingBatch {
  readonly spans: readonly PendingSpan[];
  readonly spanKeys: readonly number[];
  /** '' for a root span. */
  readonly parentSpanIds: readonly string[];
  /** 0 for a root span. */
  readonly parentKeys: readonly number[];
}

export interface PairingStats {
  /** Entry spans whose parent never came: written as `none` rows (node counts only). */
  expiredUnpaired: number;
  /** Generations expired before their wait was over, because `maxItems` was reached. */
  earlyExpiries: number;
  /** Spans held now. */
  items: number;
}

/**
 * Pairs one tenant's spans into service graph rows at ingest, as Tempo's metrics generator
 * pairs client and server spans — but with the join's rules (src/query/service-graph-join.ts),
 * so the ingest-time graph equals the query-time one on the same spans:
 *
 * - every span may be a parent (an uninstrumented caller makes INTERNAL → SERVER edges, and the
 *   join counts them), keyed by (trace id, span id) — so the parents maps hold every span, and
 *   are keyed by a number made from the span id (span-id-key.ts), cheaper to look up in;
 * - every non-root span is a child, keyed by (trace id, parent span id); SERVER and CONSUMER
 *   children make a row whatever their parent's service (node counts need them), other kinds only
 *   when the parent is in another service (Jaeger's all-spans edges);
 * - a parent stays after pairing (a span may have many children); a child pairs once;
 * - a root span, or an entry span whose parent has not come within the wait, makes a `none` row;
 *   other children that expire make nothing — the join makes no edge of a missing parent either.
 *
 * Spans wait between `waitMs` and twice that (two generations: see PairingGeneration).
 */
export class ServiceGraphPairer {
  private current = new PairingGeneration();
  private previous = new PairingGeneration();
  private rotateAt: number;
  private expiredUnpaired = 0;
  private earlyExpiries = 0;
  /** Service names as kept by every PendingSpan, without the request text they were cut from. */
  private readonly services = new UnpinnedStrings();

  constructor(
    private readonly sink: EdgeSink,
    private readonly options: PairingOptions,
    nowMs: number,
  ) {
    this.rotateAt = nowMs + options.waitMs;
  }

  /** Pairs a batch: prepare() and addPrepared() in one. */
  add(data: TracesData, nowMs: number): void {
    this.addPrepared(this.prepare(data), nowMs);
  }

  /**
   * What pairing needs of a batch, one PendingSpan and its ids a span, pairing nothing yet: the
   * store takes it before the batch goes into the log and pairs it only once the log has it, so
   * the decoded batch (~10× larger) need not stay reachable while the log is fsynced.
   */
  prepare(data: TracesData): PairingBatch {
    const spans: PendingSpan[] = [];
    const spanKeys: number[] = [];
    const parentSpanIds: string[] = [];
    const parentKeys: number[] = [];
    for (const rs of data) {
      const name = findAttribute(rs.resource.attributes, 'service.name');
      const service = typeof name === 'string' ? this.services.get(name) : '';
      for (const ss of rs.scopeSpans)
        for (const span of ss.spans) {
          spans.push(
            new PendingSpan(
              span.traceId,
              span.spanId,
              service,
              startSeconds(span.startTimeUnixNano),
              durationNanos(span.startTimeUnixNano, span.endTimeUnixNano),
              span.status.code === StatusCode.ERROR,
              connectionTypeOfChild(span.kind),
            ),
          );
          spanKeys.push(spanIdKey(span.spanId));
          parentSpanIds.push(span.parentSpanId);
          parentKeys.push(span.parentSpanId === '' ? 0 : spanIdKey(span.parentSpanId));
        }
    }
    return { spans, spanKeys, parentSpanIds, parentKeys };
  }

  /**
   * Pairs a prepared batch. Two passes: first every span becomes a parent (and meets the children
   * that waited for it), then every child looks for its parent — so a pair inside one batch is
   * found in either order, and never twice.
   */
  addPrepared(batch: PairingBatch, nowMs: number): void {
    this.expire(nowMs);
    const { spans, spanKeys, parentSpanIds, parentKeys } = batch;
    for (let i = 0; i < spans.length; i++) {
      this.meetWaitingChildren(spanKeys[i], spans[i]);
      this.rememberParent(spanKeys[i], spans[i]);
    }
    for (let i = 0; i < spans.length; i++) {
      const child = spans[i];
      const parentSpanId = parentSpanIds[i];
      if (parentSpanId === '') this.writeUnpaired(child);
      else if (!this.meetParents(parentKeys[i], parentSpanId, child))
        this.waitForParent(parentKeys[i], parentSpanId, child);
    }
  }

  /** Expires the older generation once its time has come (called on every batch and by a timer). */
  expire(nowMs: number): void {
    if (nowMs < this.rotateAt) return;
    this.rotate();
    // Idle for more than a wait: the newer generation is old enough too.
    if (nowMs >= this.rotateAt + this.options.waitMs) this.rotate();
    this.rotateAt = nowMs + this.options.waitMs;
  }

  /** Expires everything now (shutdown): waiting entry spans become `none` rows. */
  flush(): void {
    this.rotate();
    this.rotate();
  }

  stats(): PairingStats {
    return {
      expiredUnpaired: this.expiredUnpaired,
      earlyExpiries: this.earlyExpiries,
      items: this.current.size + this.previous.size,
    };
  }

  private rotate(): void {
    for (const head of this.previous.children.values())
      for (let child: PendingSpan | undefined = head; child; child = child.nextSibling)
        if (child.type !== ConnectionType.OTHER) {
          this.writeUnpaired(child);
          this.expiredUnpaired++;
        }
    this.previous = this.current;
    // Sized for as many spans as the generation that just ended: the load changes slowly.
    this.current = new PairingGeneration(this.previous.parents.size);
  }

  /** Bounded memory: the older generation goes early rather than the newest spans being dropped. */
  private makeRoom(): void {
    if (this.current.size < this.options.maxItems / 2) return;
    this.rotate();
    this.earlyExpiries++;
  }

  private rememberParent(key: number, parent: PendingSpan): void {
    this.makeRoom();
    const parents = this.current.parents;
    parent.nextSameId = parents.get(key);
    parents.set(key, parent);
    this.current.markParent(key);
    this.current.size++;
  }

  private waitForParent(key: number, parentSpanId: string, child: PendingSpan): void {
    this.makeRoom();
    const children = this.current.children;
    child.awaitedId = parentSpanId;
    child.nextSibling = children.get(key);
    children.set(key, child);
    this.current.markChild(key);
    this.current.size++;
  }

  /** Pairs the child with every remembered parent of its trace; false when there is none. */
  private meetParents(key: number, parentSpanId: string, child: PendingSpan): boolean {
    // Two calls, not a loop over [current, previous]: no array allocated per span.
    const inCurrent = this.meetParentsIn(this.current, key, parentSpanId, child);
    return this.meetParentsIn(this.previous, key, parentSpanId, child) || inCurrent;
  }

  private meetParentsIn(
    generation: PairingGeneration,
    key: number,
    parentSpanId: string,
    child: PendingSpan,
  ): boolean {
    if (!generation.mayHaveParent(key)) return false;
    let found = false;
    for (let p = generation.parents.get(key); p; p = p.nextSameId)
      if (p.traceId === child.traceId && p.spanId === parentSpanId) {
        this.writePair(p, child);
        found = true;
      }
    return found;
  }

  /** Pairs the new parent with the children of its trace that waited for it, and forgets them. */
  private meetWaitingChildren(key: number, parent: PendingSpan): void {
    this.meetWaitingChildrenIn(this.current, key, parent);
    this.meetWaitingChildrenIn(this.previous, key, parent);
  }

  private meetWaitingChildrenIn(generation: PairingGeneration, key: number, parent: PendingSpan): void {
    if (!generation.mayHaveChild(key)) return;
    const head = generation.children.get(key);
    if (head === undefined) return;
    let kept: PendingSpan | undefined;
    for (let child: PendingSpan | undefined = head; child;) {
      const next: PendingSpan | undefined = child.nextSibling;
      if (child.traceId === parent.traceId && child.awaitedId === parent.spanId) {
        this.writePair(parent, child);
        generation.size--;
      } else {
        child.nextSibling = kept;
        kept = child;
      }
      child = next;
    }
    if (kept === undefined) generation.children.delete(key);
    else if (kept !== head) generation.children.set(key, kept);
  }

  private writePair(parent: PendingSpan, child: PendingSpan): void {
    if (child.type === ConnectionType.OTHER && parent.service === child.service) return;
    this.sink.edge(
      child.startSeconds,
      parent.startSeconds - child.startSeconds,
      parent.service,
      child.service,
      child.type,
      parent.duration,
      child.duration,
      parent.failed,
      child.failed,
    );
  }

  private writeUnpaired(child: PendingSpan): void {
    this.sink.edge(
      child.startSeconds,
      0,
      '',
      child.service,
      ConnectionType.NONE,
      0,
      child.duration,
      false,
      child.failed,
    );
  }
}
