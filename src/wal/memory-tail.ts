import type { WalPosition } from './wal-types.js';

/**
 * The payloads of a contiguous run of committed records, [first, first + count), kept in memory so
 * that a reader close behind the writer (the store's flusher) takes them as they were appended,
 * without reading the segment files back and checking their CRCs again: reading back cost ~1 µs
 * of CPU a span and allocated every record's bytes a second time, external memory that forces V8
 * to collect (bench/RESULTS.md, issue 3).
 *
 * Bounded by `maxBytes`. When a record does not fit, the run stops growing: it keeps the oldest
 * records (the ones a reader wants next) and starts again at the next commit after readers have
 * released it all, if the reader is then within `maxBytes` of the writer. A run started further
 * behind would wait, held, until the reader got there: with ClickHouse behind, that was the whole
 * budget held for nothing at the moment the process's memory peaks. What is not here is read
 * from disk, so nothing depends on the budget but speed.
 */
export class MemoryTail {
  private readonly payloads: Buffer[] = [];
  private first: WalPosition = 0;
  private heldBytes = 0;
  /** A record did not fit: the run may not grow until it has been released. */
  private full = false;

  constructor(private readonly maxBytes: number) {}

  /** Records held. */
  get records(): number {
    return this.payloads.length;
  }

  /** Payload bytes held. */
  get bytes(): number {
    return this.heldBytes;
  }

  /**
   * Keeps `payload`, committed at `position`, if it continues the run and fits the budget, or
   * starts a run when the reader is close behind: `backlogBytes` are committed before it and not
   * yet released.
   */
  add(position: WalPosition, payload: Buffer, backlogBytes: number): void {
    if (this.maxBytes === 0) return;
    if (this.payloads.length === 0) {
      if (backlogBytes > this.maxBytes) return;
      this.first = position;
    } else if (this.full || position !== this.first + this.payloads.length) return;
    if (this.heldBytes + payload.length > this.maxBytes) {
      // The run ends here: a later, smaller record would leave a hole in it.
      this.full = this.payloads.length > 0;
      return;
    }
    this.payloads.push(payload);
    this.heldBytes += payload.length;
  }

  /** The payload of the record at `position`, if held. */
  at(position: WalPosition): Buffer | undefined {
    const index = position - this.first;
    return index >= 0 && index < this.payloads.length ? this.payloads[index] : undefined;
  }

  /** Forgets the records before `position` (they are stored downstream). */
  releaseBefore(position: WalPosition): void {
    if (this.payloads.length === 0) return;
    const drop = Math.min(this.payloads.length, Math.max(0, position - this.first));
    if (drop === 0) return;
    for (let i = 0; i < drop; i++) this.heldBytes -= this.payloads[i].length;
    this.payloads.splice(0, drop);
    this.first += drop;
    if (this.payloads.length === 0) this.full = false;
  }
}
