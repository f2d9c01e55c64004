import { mkdir, open, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { NativeRowsFile } from '../../store/driver/clickhouse-driver.js';

/** Rows gathered before they are written out: a few records' worth, not a flush's. */
const WRITE_BYTES = 4 * 1024 * 1024;

/**
 * One tenant's rows of a flush, written to two files — `otel_traces` rows and the copy's — as the
 * log is read, and inserted from those files. A flush's ~50 MiB of records were held in memory
 * from the read until both inserts had ended, and the next flush's beside them while it was read
 * ahead: ~95 of the ~110 MiB of Buffers live under sustained ingest, and, promoted by then, freed
 * only by a full GC (bench/RESULTS.md). Written as they are read, records live for one write.
 *
 * The files are a copy of what the log holds, so they are not fsynced: after a crash the flush is
 * replayed from the log, and files left behind are removed at start (StoreExporter.start).
 */
export class FlushSpool {
  private pendingRows: Buffer[] = [];
  private pendingCopy: Buffer[] = [];
  private pendingBytes = 0;
  private closed = false;
  private copyBytes = 0;
  private withoutCopy = 0;

  private constructor(
    /** The `otel_traces` rows, to insert once `finish` has returned. */
    readonly rows: NativeRowsFile,
    /** The trace-id-ordered copy's rows of the same spans. */
    readonly traceSpanRows: NativeRowsFile,
    private readonly rowsHandle: FileHandle,
    private readonly copyHandle: FileHandle,
  ) {}

  /** Creates the two files `<name>.spans` and `<name>.copy` in `dir` (made if missing). */
  static async create(dir: string, name: string): Promise<FlushSpool> {
    await mkdir(dir, { recursive: true });
    const rows = join(dir, `${name}.spans`);
    const copy = join(dir, `${name}.copy`);
    const rowsHandle = await open(rows, 'w');
    try {
      const copyHandle = await open(copy, 'w');
      return new FlushSpool({ file: rows }, { file: copy }, rowsHandle, copyHandle);
    } catch (error) {
      await rowsHandle.close();
      await rm(rows, { force: true });
      throw error;
    }
  }

  /**
   * Takes one record's rows. Returns a promise when that filled a write, which then runs: wait
   * for it before reading more, so that what is held stays at about one write.
   */
  add(rows: Buffer, traceSpanRows: Buffer): Promise<void> | undefined {
    this.pendingRows.push(rows);
    this.pendingCopy.push(traceSpanRows);
    this.pendingBytes += rows.length + traceSpanRows.length;
    this.copyBytes += traceSpanRows.length;
    if (traceSpanRows.length === 0) this.withoutCopy++;
    return this.pendingBytes >= WRITE_BYTES ? this.writePending() : undefined;
  }

  /** Whether any record brought copy rows (none does while the copy is off). */
  get hasTraceSpanRows(): boolean {
    return this.copyBytes > 0;
  }

  /** Whether any record came without copy rows (written while the copy was off). */
  get lacksTraceSpanRows(): boolean {
    return this.withoutCopy > 0;
  }

  /** Writes what is left and closes the files, which are then ready to insert. */
  async finish(): Promise<void> {
    await this.writePending();
    await this.close();
  }

  /** Closes the files if still open, and deletes them. */
  async remove(): Promise<void> {
    await this.close();
    await Promise.all([rm(this.rows.file, { force: true }), rm(this.traceSpanRows.file, { force: true })]);
  }

  private async writePending(): Promise<void> {
    const rows = this.pendingRows;
    const copy = this.pendingCopy;
    this.pendingRows = [];
    this.pendingCopy = [];
    this.pendingBytes = 0;
    await Promise.all([writeAll(this.rowsHandle, rows), writeAll(this.copyHandle, copy)]);
  }

  private async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([this.rowsHandle.close(), this.copyHandle.close()]);
  }
}

async function writeAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  if (buffers.length === 0) return;
  const { bytesWritten } = await handle.writev(buffers);
  let expected = 0;
  for (const buffer of buffers) expected += buffer.length;
  // libuv goes on until the whole list is written; a short count means it stopped at an error
  // (a full disk), and the insert would read a truncated file. It does not say which: writing the
  // rest again throws it (with its code, ENOSPC, which start-up tells from other failures), or
  // succeeds if there is room now.
  if (bytesWritten === expected) return;
  const rest = Buffer.concat(buffers).subarray(bytesWritten);
  const { bytesWritten: more } = await handle.write(rest);
  if (more !== rest.length)
    throw new Error(`spool write was short: ${bytesWritten + more} of ${expected} bytes`);
}
