import { encodeHeader, HEADER_BYTES } from './record-framing.js';
import { Segment } from './segment-file.js';
import { errorCode, WalWriteError } from './wal-errors.js';
import type { WalFile, WalFileSystem } from './wal-file-system.js';

/**
 * Appends groups of records to the active segment file, starting a new segment before one would
 * pass its maximum size. It keeps the invariant readers rely on: `segment.size` only ever covers
 * bytes that were written in full and fsynced. Callers serialise its calls.
 */
export class SegmentWriter {
  private active: { readonly segment: Segment; readonly file: WalFile } | undefined;

  constructor(
    private readonly fs: WalFileSystem,
    private readonly dir: string,
    private readonly segmentMaxBytes: number,
    /** The log's segment list, oldest first; new segments are pushed here. */
    private readonly segments: Segment[],
  ) {}

  /** Continues appending to an existing segment (the last one found at open). */
  async resume(segment: Segment): Promise<void> {
    this.active = { segment, file: await this.fs.openFile(segment.path, 'write') };
  }

  /**
   * Writes `payloads` as the records at positions first, first + 1, … and fsyncs them. Throws
   * `WalWriteError`; when it is `fatal` (an fsync failed, or bytes past the committed size could
   * not be removed), the caller must stop writing. A segment that could not be created is not
   * fatal: nothing was written, and the next call tries to create it again.
   */
  async write(first: number, payloads: readonly Buffer[], frameBytes: number): Promise<void> {
    const { segment, file } = await this.segmentWithRoom(first, frameBytes);
    const buffers: Buffer[] = [];
    for (let i = 0; i < payloads.length; i++) buffers.push(encodeHeader(first + i, payloads[i]), payloads[i]);
    try {
      await file.writeAll(buffers, segment.size);
    } catch (error) {
      await this.undoWrite(segment, file);
      throw new WalWriteError(this.dir, `appending to ${segment.name}`, error);
    }
    try {
      await file.datasync();
    } catch (error) {
      // After a failed fsync Linux may have dropped the dirty pages and marked them clean, so a
      // retry could "succeed" over lost data (the PostgreSQL fsync problem, 2018). Stop instead;
      // reopening re-validates the file from what is really on disk.
      throw new WalWriteError(this.dir, `fsync of ${segment.name}`, error, true);
    }
    let offset = segment.size;
    for (const payload of payloads) {
      segment.offsets.push(offset);
      offset += HEADER_BYTES + payload.length;
    }
    segment.size = offset;
  }

  /** Closes the segment's file if it is the active one, so it can be deleted. */
  async release(segment: Segment): Promise<void> {
    if (this.active?.segment !== segment) return;
    await this.active.file.close();
    this.active = undefined;
  }

  isActive(segment: Segment): boolean {
    return this.active?.segment === segment;
  }

  async close(): Promise<void> {
    await this.active?.file.close();
    this.active = undefined;
  }

  /**
   * Cuts a failed write back to the last committed byte, so no half-written record can read as
   * valid later (a partial write may hold whole frames, none of them acknowledged).
   */
  private async undoWrite(segment: Segment, file: WalFile): Promise<void> {
    try {
      await file.truncate(segment.size);
      await file.datasync();
    } catch (error) {
      throw new WalWriteError(this.dir, `undoing a failed append to ${segment.name}`, error, true);
    }
  }

  private async segmentWithRoom(first: number, bytes: number): Promise<{ segment: Segment; file: WalFile }> {
    if (
      this.active &&
      this.active.segment.size > 0 &&
      this.active.segment.size + bytes > this.segmentMaxBytes
    ) {
      try {
        await this.release(this.active.segment);
      } catch (error) {
        throw new WalWriteError(this.dir, `closing ${this.active.segment.name}`, error, true);
      }
    }
    if (this.active) return this.active;
    const segment = new Segment(this.dir, first);
    let file: WalFile;
    try {
      file = await this.fs.openFile(segment.path, 'create');
    } catch (error) {
      // Nothing was written and no fsync failed, so the files can still be trusted: the append is
      // refused, and the next one tries again (a folder made read-only or immutable, out of
      // inodes or file descriptors). Stopping the log here kept it refusing until a restart.
      await this.removeUnstarted(segment, error);
      throw new WalWriteError(this.dir, `starting segment ${segment.name}`, error);
    }
    this.active = { segment, file };
    this.segments.push(segment);
    try {
      // The new file's folder entry must be durable before any record in it is acknowledged.
      await this.fs.syncDir(this.dir);
    } catch (error) {
      // A failed fsync, like a record's: what the kernel holds for the folder is not trusted.
      throw new WalWriteError(this.dir, `fsync of the folder after starting ${segment.name}`, error, true);
    }
    return this.active;
  }

  /**
   * Removes what a failed create may have left (a file system that made the file, then failed),
   * so that the retry's exclusive create finds no file in its way. Not after EEXIST: that file
   * was there before, and is not this call's to delete. Best effort: the retry reports what fails.
   */
  private async removeUnstarted(segment: Segment, error: unknown): Promise<void> {
    if (errorCode(error) === 'EEXIST') return;
    try {
      await this.fs.unlink(segment.path);
    } catch {
      // ENOENT, the usual case: nothing was made.
    }
  }
}
