import { join } from 'node:path';

/**
 * A segment file is named by the sequence of its first record, zero-padded to 20 digits (any u64)
 * so that names sort in log order: `00000000000000001234.wal`.
 */
const NAME_PATTERN = /^(\d{20})\.wal$/;

export function segmentName(base: number): string {
  return `${String(base).padStart(20, '0')}.wal`;
}

/** The base sequence a segment file name encodes, or undefined for any other file. */
export function parseSegmentName(name: string): number | undefined {
  const match = NAME_PATTERN.exec(name);
  if (!match) return undefined;
  const base = Number(match[1]);
  return Number.isSafeInteger(base) ? base : undefined;
}

/**
 * Offsets of a segment's records, one per sequence: `offsetOf(seq)` finds where to start
 * reading without scanning the segment, so the flusher's repeated reads of the growing active
 * segment stay linear. 4 bytes a record (segments are far below 4 GiB).
 */
export class OffsetIndex {
  private offsets = new Uint32Array(256);
  private count = 0;

  get length(): number {
    return this.count;
  }

  push(offset: number): void {
    if (this.count === this.offsets.length) {
      const grown = new Uint32Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[this.count++] = offset;
  }

  get(index: number): number {
    return this.offsets[index];
  }
}

/** What the log knows about one segment file; only committed (fsynced) bytes are counted. */
export class Segment {
  /** Committed bytes: readers never look past this, so they never see an unsynced record. */
  size = 0;
  /**
   * Record starts by sequence, from `base`. A sequence lost to damage points at the next intact
   * record (or the end), so reading from a lost position starts at what survived.
   */
  readonly offsets = new OffsetIndex();

  constructor(
    readonly dir: string,
    readonly base: number,
  ) {}

  get name(): string {
    return segmentName(this.base);
  }

  get path(): string {
    return join(this.dir, this.name);
  }

  /** The position after this segment's last record (lost ones included). */
  get end(): number {
    return this.base + this.offsets.length;
  }

  /** Where the record at `position` starts (0 before the first, `size` past the last). */
  offsetOf(position: number): number {
    if (position <= this.base) return 0;
    if (position >= this.end) return this.size;
    return this.offsets.get(position - this.base);
  }

  /** Accounts for sequences [end, position) that are lost: they resolve to `offset`. */
  markLostUpTo(position: number, offset: number): void {
    while (this.end < position) this.offsets.push(offset);
  }
}
