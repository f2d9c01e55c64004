import type { FileHandle } from 'node:fs/promises';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';

/** `rotation` of the Collector's file exporter (lumberjack's settings). */
export interface RotationConfig {
  /** Size at which the file is rotated, in bytes (`max_megabytes` × 2^20). */
  maxBytes: number;
  /** Backups older than this many days are removed; 0 keeps them whatever their age. */
  maxDays: number;
  /** Backups beyond this many (the newest kept) are removed; 0 keeps them all. */
  maxBackups: number;
  /** Timestamps in backup names in local time rather than UTC. */
  localTime: boolean;
}

const DAY_MS = 86_400_000;
const STAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2})-(\d{2})-(\d{2})\.(\d{3})$/;

/**
 * The file the exporter writes, rotated as the Collector's (lumberjack) does: when a record
 * would take the file past `maxBytes`, the file is renamed with its rotation time before the
 * extension (`spans.json` → `spans-2026-11-25T17-02-14.173.json`) and a new one is started at
 * the same path; old backups beyond `maxBackups` or `maxDays` are removed. Without rotation the
 * file just grows. Not safe for concurrent `write` calls: the caller serialises them.
 */
export class RotatingFile {
  private file: FileHandle | undefined;
  private size = 0;
  private lastStampMs = 0;

  constructor(
    readonly path: string,
    private readonly rotation: RotationConfig | undefined,
  ) {}

  /**
   * Opens the file: with rotation an existing file is continued (as lumberjack does), without
   * it `append` decides between continuing and truncating (the Collector's `append`).
   */
  async open(append: boolean): Promise<void> {
    const keep = append || this.rotation !== undefined;
    this.file = await open(this.path, keep ? 'a' : 'w');
    this.size = (await this.file.stat()).size;
  }

  /** Writes whole records; a rotation falls between two records, never inside one. */
  async write(records: readonly Buffer[]): Promise<void> {
    let start = 0;
    let bytes = 0;
    for (let i = 0; i < records.length; i++) {
      const length = records[i].length;
      // A record bigger than the limit gets a file of its own (lumberjack would refuse it; dropping spans is worse).
      if (this.rotation && this.size + bytes + length > this.rotation.maxBytes && this.size + bytes > 0) {
        await this.writeAll(records.slice(start, i), bytes);
        await this.rotate();
        start = i;
        bytes = 0;
      }
      bytes += length;
    }
    await this.writeAll(records.slice(start), bytes);
  }

  private async writeAll(records: readonly Buffer[], bytes: number): Promise<void> {
    if (records.length === 0 || !this.file) return;
    // One buffer, written until done: writev may stop short past IOV_MAX buffers.
    const chunk = records.length === 1 ? records[0] : Buffer.concat(records, bytes);
    for (let at = 0; at < chunk.length;) {
      const { bytesWritten } = await this.file.write(chunk, at, chunk.length - at);
      at += bytesWritten;
    }
    this.size += bytes;
  }

  private async rotate(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
    await rename(this.path, this.backupPath());
    this.file = await open(this.path, 'w');
    this.size = 0;
    await this.removeOldBackups();
  }

  /** `name-<time>.ext`; two rotations in one millisecond still get distinct names. */
  private backupPath(): string {
    const ms = Math.max(Date.now(), this.lastStampMs + 1);
    this.lastStampMs = ms;
    const ext = extname(this.path);
    const stem = basename(this.path, ext);
    return join(dirname(this.path), `${stem}-${formatStamp(new Date(ms), this.rotation!.localTime)}${ext}`);
  }

  private async removeOldBackups(): Promise<void> {
    const { maxBackups, maxDays, localTime } = this.rotation!;
    if (maxBackups === 0 && maxDays === 0) return;
    const ext = extname(this.path);
    const prefix = `${basename(this.path, ext)}-`;
    const backups: { name: string; at: number }[] = [];
    for (const name of await readdir(dirname(this.path))) {
      if (!name.startsWith(prefix) || !name.endsWith(ext)) continue;
      const at = parseStamp(name.slice(prefix.length, name.length - ext.length), localTime);
      if (at !== undefined) backups.push({ name, at });
    }
    backups.sort((a, b) => b.at - a.at);
    const cutoff = maxDays > 0 ? Date.now() - maxDays * DAY_MS : -Infinity;
    const doomed = backups.filter((b, i) => (maxBackups > 0 && i >= maxBackups) || b.at < cutoff);
    await Promise.all(doomed.map((b) => rm(join(dirname(this.path), b.name), { force: true })));
  }

  /** Bytes in the current file. */
  currentSize(): number {
    return this.size;
  }

  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await file?.close();
  }
}

/** Whether `path`'s folder exists (to fail at start rather than at the first write). */
export async function folderExists(path: string): Promise<boolean> {
  return stat(dirname(path)).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** lumberjack's backup time format, `2006-01-02T15-04-05.000`. */
function formatStamp(date: Date, local: boolean): string {
  const parts = local
    ? [date.getFullYear(), date.getMonth() + 1, date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds()]
    : [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]; // prettier-ignore
  const ms = local ? date.getMilliseconds() : date.getUTCMilliseconds();
  const [y, mo, d, h, mi, s] = parts.map((n) => String(n).padStart(2, '0'));
  return `${y}-${mo}-${d}T${h}-${mi}-${s}.${String(ms).padStart(3, '0')}`;
}

function parseStamp(text: string, local: boolean): number | undefined {
  const m = STAMP.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s, ms] = m.slice(1).map(Number);
  return local ? new Date(y, mo - 1, d, h, mi, s, ms).getTime() : Date.UTC(y, mo - 1, d, h, mi, s, ms);
}
