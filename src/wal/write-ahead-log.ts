import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { writeCheckpoint } from './checkpoint.js';
import { MemoryTail } from './memory-tail.js';
import { HEADER_BYTES } from './record-framing.js';
import { recoverLog } from './recover-log.js';
import type { Segment } from './segment-file.js';
import type { ScanEvent } from './segment-scanner.js';
import { SCAN_CHUNK_BYTES, scanSegment } from './segment-scanner.js';
import { SegmentWriter } from './segment-writer.js';
import {
  errorCode,
  WalClosedError,
  WalFullError,
  WalRecordTooLargeError,
  WalWriteError,
} from './wal-errors.js';
import type { WalFile } from './wal-file-system.js';
import type { WalSettings } from './wal-settings.js';
import { resolveWalSettings } from './wal-settings.js';
import type { WalDamage, WalOptions, WalPosition, WalRecord, WalStats } from './wal-types.js';

interface PendingAppend {
  readonly payload: Buffer;
  readonly bytes: number;
  readonly resolve: (position: WalPosition) => void;
  readonly reject: (error: Error) => void;
}

/**
 * A durable, append-only log of opaque records in segment files, with group commit.
 *
 * Guarantee: once `append` resolves, the record survives a process or machine crash (its bytes
 * and the file's size were fdatasync'ed, and a new segment's folder entry was fsync'ed before its
 * first record was acknowledged), and replay yields it exactly once, at the position `append`
 * returned, until `commitFlushed` passes it. A failed `append` leaves no trace that reads back.
 */
export class WriteAheadLog {
  private readonly segments: Segment[];
  private readonly writer: SegmentWriter;
  private next: WalPosition;
  private flushed: WalPosition;
  private diskBytes: number;
  private readonly pending: PendingAppend[] = [];
  /** Bytes of appends accepted but not yet on disk: counted against the cap already. */
  private pendingBytes = 0;
  /** Appends taken from `pending` into the group being written. */
  private inFlight = 0;
  private commitRun: Promise<void> | undefined;
  /** Serialises everything that changes segment files: group commits and reclaims. */
  private fileQueue: Promise<unknown> = Promise.resolve();
  private checkpointQueue: Promise<unknown> = Promise.resolve();
  /** Set once the files can no longer be trusted (an fsync failed, or a failed write could not be undone). */
  private failure: WalWriteError | undefined;
  private closing: Promise<void> | undefined;
  private readonly damageSeen = new Set<string>();
  private readonly damageFound: WalDamage[];
  /** The newest committed payloads, for readers close behind the writer (empty when disabled). */
  private readonly tail: MemoryTail;

  private constructor(
    private readonly settings: WalSettings,
    segments: Segment[],
    flushed: WalPosition,
    damage: WalDamage[],
  ) {
    this.segments = segments;
    this.writer = new SegmentWriter(settings.fs, settings.dir, settings.segmentMaxBytes, segments);
    this.flushed = flushed;
    this.next = Math.max(segments.at(-1)?.end ?? 0, flushed);
    this.diskBytes = segments.reduce((sum, s) => sum + s.size, 0);
    this.damageFound = damage;
    this.tail = new MemoryTail(settings.memoryTailBytes);
    for (const d of damage) this.damageSeen.add(`${d.segment}:${d.offset}`);
  }

  /** Opens (or creates) the log in `options.dir`, recovering it from whatever a crash left. */
  static async open(options: WalOptions): Promise<WriteAheadLog> {
    const settings = resolveWalSettings(options);
    const recovered = await recoverLog(settings.fs, settings.dir);
    const log = new WriteAheadLog(settings, recovered.segments, recovered.flushed, recovered.damage);
    log.openedWithoutCheckpoint = !recovered.checkpointFound && log.next > log.flushed;
    const last = recovered.segments.at(-1);
    // Keep appending to the last segment unless the checkpoint is ahead of it (segments lost):
    // a segment's sequences must stay contiguous.
    if (last && last.end === log.next) await log.writer.resume(last);
    await log.reclaim();
    return log;
  }

  /**
   * True when the log was opened without a readable checkpoint but with records: some of them may
   * have been flushed already (a damaged or deleted checkpoint file), so a reader must not take
   * the flushed position (0) at its word — the store replays such a range by comparison.
   */
  get flushedUnknown(): boolean {
    return this.openedWithoutCheckpoint;
  }

  private openedWithoutCheckpoint = false;

  /** Damage found when the log was opened, then any found by later reads. */
  get damage(): readonly WalDamage[] {
    return this.damageFound;
  }

  /**
   * Appends one record; resolves with its position once it is durable. Appends made in the same
   * tick (or while the previous fsync runs) share one write and one fsync. Rejects with
   * `WalFullError` at the cap, `WalWriteError` when the disk refuses, `WalClosedError` after close.
   * With `memoryTailBytes`, the log may keep `payload` itself for readers: do not change it.
   */
  append(payload: Buffer): Promise<WalPosition> {
    const { dir, maxTotalBytes, segmentMaxBytes } = this.settings;
    if (this.closing) return Promise.reject(new WalClosedError(dir));
    if (this.failure) return Promise.reject(this.failure);
    const bytes = HEADER_BYTES + payload.length;
    if (bytes > segmentMaxBytes) {
      return Promise.reject(new WalRecordTooLargeError(bytes, segmentMaxBytes));
    }
    if (this.diskBytes + this.pendingBytes + bytes > maxTotalBytes) {
      return Promise.reject(new WalFullError(dir, maxTotalBytes, bytes));
    }
    return new Promise<WalPosition>((resolve, reject) => {
      this.pending.push({ payload, bytes, resolve, reject });
      this.pendingBytes += bytes;
      this.commitRun ??= this.runCommits();
    });
  }

  /** The longest payload a record may have: a segment holds whole records. */
  get maxPayloadBytes(): number {
    return this.settings.segmentMaxBytes - HEADER_BYTES;
  }

  /**
   * Whether an append of `payloadBytes` would be refused with `WalFullError` now: lets a caller
   * skip the work of making a record the log cannot take.
   */
  isFull(payloadBytes: number): boolean {
    return this.diskBytes + this.pendingBytes + HEADER_BYTES + payloadBytes > this.settings.maxTotalBytes;
  }

  /**
   * Committed records at positions >= `position` (default: the flushed position, i.e. replay),
   * in order, until the reader catches up with the writer. Records still in the memory tail are
   * taken from there; the rest are read from the segment files, where records lost to damage are
   * skipped (and reported through `onDamage` if not known already). `readBytes`: how much of a
   * file one read takes (at least SCAN_CHUNK_BYTES); a reader that will take tens of MiB says so,
   * as each read waits for a turn of a busy event loop.
   */
  async *readFrom(
    position: WalPosition = this.flushed,
    readBytes = SCAN_CHUNK_BYTES,
  ): AsyncGenerator<WalRecord> {
    let next = position;
    for (;;) {
      if (this.closing) throw new WalClosedError(this.settings.dir);
      const held = this.tail.at(next);
      if (held) {
        yield { position: next, payload: held };
        next++;
        continue;
      }
      const segment = this.segments.find((s) => s.end > next);
      if (!segment) return;
      next = yield* this.readSegment(segment, next, Math.max(readBytes, SCAN_CHUNK_BYTES));
    }
  }

  /**
   * The segment's committed records from `next` on, until one is in the memory tail; returns the
   * position to continue from.
   */
  private async *readSegment(
    segment: Segment,
    from: WalPosition,
    readBytes: number,
  ): AsyncGenerator<WalRecord, WalPosition> {
    let next = from;
    // Snapshot the committed extent: bytes past it may be a write still in flight.
    const start = segment.offsetOf(next);
    const [end, endPosition] = [segment.size, segment.end];
    let file: WalFile;
    try {
      file = await this.settings.fs.openFile(segment.path, 'read');
    } catch (error) {
      // Reclaimed while we were reading: everything in it was flushed.
      if (errorCode(error) !== 'ENOENT') throw error;
      return Math.max(next, endPosition);
    }
    try {
      for await (const event of scanSegment(file, start, end, readBytes)) {
        if (event.kind === 'damage') this.noteDamage(segment, event);
        else if (event.sequence >= next) {
          // The rest of the run is in memory: no need to read (and check) it again.
          if (this.tail.at(event.sequence)) return event.sequence;
          next = event.sequence + 1;
          yield { position: event.sequence, payload: event.payload };
        }
      }
    } finally {
      await file.close();
    }
    return Math.max(next, endPosition);
  }

  /**
   * Records before `position` are stored downstream: persists that as the checkpoint (replay
   * after a restart starts there), then deletes every segment holding only such records.
   */
  async commitFlushed(position: WalPosition): Promise<void> {
    if (this.closing) throw new WalClosedError(this.settings.dir);
    if (!Number.isSafeInteger(position) || position < 0 || position > this.next) {
      throw new RangeError(`flushed position ${position} is not between 0 and ${this.next}`);
    }
    const write = this.checkpointQueue.then(async () => {
      if (position <= this.flushed) return;
      try {
        await writeCheckpoint(this.settings.fs, this.settings.dir, position);
      } catch (error) {
        throw new WalWriteError(this.settings.dir, 'writing the checkpoint', error);
      }
      this.flushed = position;
      this.tail.releaseBefore(position);
    });
    this.checkpointQueue = write.catch(() => undefined);
    await write;
    await this.reclaim();
  }

  stats(): WalStats {
    let unflushedBytes = 0;
    for (const s of this.segments) {
      if (s.end > this.flushed) unflushedBytes += s.size - s.offsetOf(this.flushed);
    }
    return {
      diskBytes: this.diskBytes,
      unflushedBytes,
      memoryTailBytes: this.tail.bytes,
      segments: this.segments.length,
      pendingAppends: this.pending.length + this.inFlight,
      nextPosition: this.next,
      flushedPosition: this.flushed,
    };
  }

  /** Commits every accepted append, then closes the files. Idempotent. */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    while (this.commitRun) await this.commitRun;
    await this.checkpointQueue;
    await this.serially(() => this.writer.close());
  }

  private async runCommits(): Promise<void> {
    try {
      if (this.settings.syncIntervalMs > 0) await sleep(this.settings.syncIntervalMs);
      else await nextTurn();
      while (this.pending.length > 0) {
        const group = this.takeGroup();
        this.inFlight = group.length;
        await this.serially(() => this.commitGroup(group));
        this.inFlight = 0;
      }
    } finally {
      this.commitRun = undefined;
    }
  }

  /** The oldest pending appends that fit in one segment (at least one). */
  private takeGroup(): PendingAppend[] {
    let bytes = this.pending[0].bytes;
    let count = 1;
    while (
      count < this.pending.length &&
      bytes + this.pending[count].bytes <= this.settings.segmentMaxBytes
    ) {
      bytes += this.pending[count++].bytes;
    }
    return this.pending.splice(0, count);
  }

  /** Writes and fsyncs one group, then settles its appends. Never throws. */
  private async commitGroup(group: PendingAppend[]): Promise<void> {
    const groupBytes = group.reduce((sum, p) => sum + p.bytes, 0);
    const first = this.next;
    try {
      if (this.failure) throw this.failure;
      await this.writer.write(
        first,
        group.map((p) => p.payload),
        groupBytes,
      );
    } catch (error) {
      const failure =
        error instanceof WalWriteError ? error : new WalWriteError(this.settings.dir, 'append', error);
      if (failure.fatal) this.failure = failure;
      this.pendingBytes -= groupBytes;
      for (const p of group) p.reject(failure);
      return;
    }
    this.next += group.length;
    this.diskBytes += groupBytes;
    this.pendingBytes -= groupBytes;
    // What the flusher has yet to read before this group: only asked when a new run would start.
    const backlogBytes = this.tail.records === 0 ? this.stats().unflushedBytes - groupBytes : 0;
    for (let i = 0; i < group.length; i++) {
      this.tail.add(first + i, group[i].payload, backlogBytes);
      group[i].resolve(first + i);
    }
  }

  /**
   * Deletes segments whose records are all flushed. The active one goes too once all of it is
   * flushed, so an idle, caught-up log shrinks to nothing instead of keeping a full segment.
   */
  private reclaim(): Promise<void> {
    return this.serially(async () => {
      while (this.segments.length > 0 && this.segments[0].end <= this.flushed) {
        const segment = this.segments[0];
        if (this.writer.isActive(segment)) {
          if (segment.size === 0) break;
          await this.writer.release(segment);
        }
        try {
          await this.settings.fs.unlink(segment.path);
        } catch (error) {
          if (errorCode(error) !== 'ENOENT') {
            throw new WalWriteError(this.settings.dir, `deleting ${segment.name}`, error);
          }
        }
        this.segments.shift();
        this.diskBytes -= segment.size;
      }
    });
  }

  private serially<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.fileQueue.then(operation);
    this.fileQueue = result.catch(() => undefined);
    return result;
  }

  private noteDamage(segment: Segment, event: Extract<ScanEvent, { kind: 'damage' }>): void {
    const key = `${segment.name}:${event.offset}`;
    if (this.damageSeen.has(key)) return;
    this.damageSeen.add(key);
    const damage: WalDamage = {
      segment: segment.name,
      offset: event.offset,
      length: event.length,
      reason: event.reason,
    };
    this.damageFound.push(damage);
    this.settings.onDamage?.(damage);
  }
}
