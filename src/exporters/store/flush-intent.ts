import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { nodeFileSystem } from '../../wal/wal-file-system.js';
import type { WalFileSystem } from '../../wal/wal-file-system.js';

/** The log range a flush is inserting: [first, end) in write-ahead-log positions. */
export interface FlushRange {
  first: number;
  end: number;
  /**
   * Names the flush's inserts (with the tenant appended), so that a replay can end one a server
   * still runs; absent in intents written before it was added.
   */
  insertId?: string;
}

/**
 * Tells a flush that may have been stored in part from a new one. The range is written down
 * (atomically, durably) before inserting and removed once the log's checkpoint has moved past it.
 * After a crash or a failed flush, the recorded range is flushed first, and as a replay: its
 * records are compared with what ClickHouse holds, so that none is stored twice.
 */
export class FlushIntent {
  private readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly fs: WalFileSystem = nodeFileSystem,
  ) {
    this.file = join(dir, 'flush-intent.json');
  }

  async read(): Promise<FlushRange | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = JSON.parse(text) as FlushRange;
    if (!Number.isSafeInteger(parsed.first) || !Number.isSafeInteger(parsed.end)) return undefined;
    const range: FlushRange = { first: parsed.first, end: parsed.end };
    if (typeof parsed.insertId === 'string') range.insertId = parsed.insertId;
    return range;
  }

  /**
   * Durable when it returns, folder entry included: after a power loss an insert under way must
   * find its intent, or the range would be inserted again beside what the insert stored. (Its
   * removal need not be durable: an intent for a range the checkpoint has passed replays nothing.)
   */
  async write(range: FlushRange): Promise<void> {
    const temp = `${this.file}.tmp`;
    const file = await this.fs.openFile(temp, 'replace');
    try {
      await file.writeAll([Buffer.from(JSON.stringify(range))], 0);
      await file.datasync();
    } finally {
      await file.close();
    }
    await this.fs.rename(temp, this.file);
    await this.fs.syncDir(this.dir);
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
