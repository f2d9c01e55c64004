import type { WalFileSystem } from './wal-file-system.js';

/**
 * A position in the log is a record sequence number: the first record ever appended is 0, each
 * next one is +1, across segments and restarts, never reused (even after every segment was
 * deleted, the checkpoint carries the count on). A position names the record with that sequence
 * and, used as a bound, means "everything before it" — `commitFlushed(p)` says records < p are
 * stored, `readFrom(p)` yields records >= p. Stable numbers let a flush's range be written down
 * and read again exactly after a restart.
 */
export type WalPosition = number;

export interface WalOptions {
  /** Folder of the log; created if missing. Only one open log may use it at a time (not enforced). */
  dir: string;
  /** A segment file is closed and a new one started before it would pass this size. Default 64 MiB. */
  segmentMaxBytes?: number;
  /** Past this many bytes on disk, `append` rejects with `WalFullError`. Default 1 GiB. */
  maxTotalBytes?: number;
  /**
   * Group-commit window: how long the first waiting append waits for others to share its write
   * and fsync. Default 0 — the next turn of the event loop, which already groups every append made
   * in the same tick and every append made while the previous fsync ran.
   */
  syncIntervalMs?: number;
  /**
   * Payload bytes of the newest committed records kept in memory for `readFrom`, so a reader
   * close behind the writer does not read them back from disk. Default 0 (none kept).
   */
  memoryTailBytes?: number;
  /** Called for damage found while reading after open (damage found at open is in `damage`). */
  onDamage?: (damage: WalDamage) => void;
  /** The file operations; tests inject failures here. Default: node:fs. */
  fileSystem?: WalFileSystem;
}

export const WAL_DEFAULTS = {
  segmentMaxBytes: 64 * 1024 * 1024,
  maxTotalBytes: 1024 * 1024 * 1024,
  syncIntervalMs: 0,
  memoryTailBytes: 0,
} as const;

/** A committed record, as read back. */
export interface WalRecord {
  readonly position: WalPosition;
  readonly payload: Buffer;
}

export type WalDamageReason =
  /** Unfinished bytes at the end of the last segment (a write cut by a crash); cut away at open. */
  | 'torn-tail'
  /** Bytes where a record header should be but is not intact. */
  | 'bad-header'
  /** An intact header whose payload does not match its CRC. */
  | 'bad-checksum'
  /** A record whose payload runs past the end of its (non-last) segment. */
  | 'truncated-record'
  /** An intact record whose sequence repeats or goes back; skipped. */
  | 'out-of-sequence'
  /** Sequences missing between two segments (e.g. a segment file was lost). */
  | 'missing-records'
  /** The checkpoint file is unreadable; replay starts at the oldest segment instead. */
  | 'bad-checkpoint';

export interface WalDamage {
  /** The segment file name (or the checkpoint file name). */
  readonly segment: string;
  /** Byte offset in that file where the damage starts. */
  readonly offset: number;
  /** Bytes skipped. */
  readonly length: number;
  readonly reason: WalDamageReason;
  /**
   * Positions known lost, [from, to): sequences skipped between the last good record before the
   * damage and the first good one after it. Absent when nothing follows to count against (a
   * torn tail, whose records were never acknowledged).
   */
  readonly lost?: { readonly from: WalPosition; readonly to: WalPosition };
}

export interface WalStats {
  /** Committed bytes in segment files. */
  readonly diskBytes: number;
  /** Committed bytes of records at or after the flushed position. */
  readonly unflushedBytes: number;
  /** Payload bytes held in memory for readers (`memoryTailBytes`). */
  readonly memoryTailBytes: number;
  readonly segments: number;
  /** Appends accepted but not yet written and fsynced. */
  readonly pendingAppends: number;
  /** The position the next append will get. */
  readonly nextPosition: WalPosition;
  /** The last committed flushed position (records before it may be gone). */
  readonly flushedPosition: WalPosition;
}
