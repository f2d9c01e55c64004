import { readFile, rename, rm, writeFile, open } from 'node:fs/promises';
import { join } from 'node:path';

/** The log range a flush is inserting: [first, end) in write-ahead-log positions. */
export interface FlushRange {
  first: number;
  end: number;
}

/**
 * Makes replayed flushes idempotent. ClickHouse skips an insert whose deduplication token it has
 * seen, so a flush cut short by a crash must be redone with the *same* records under the *same*
 * tokens: the range is written down (atomically, durably) before inserting and removed once the
 * log's checkpoint has moved past it. After a crash, the recorded range is flushed first.
 */
export class FlushIntent {
  private readonly file: string;

  constructor(dir: string) {
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
    return Number.isSafeInteger(parsed.first) && Number.isSafeInteger(parsed.end) ? parsed : undefined;
  }

  async write(range: FlushRange): Promise<void> {
    const temp = `${this.file}.tmp`;
    await writeFile(temp, JSON.stringify(range));
    const handle = await open(temp, 'r');
    try {
      await handle.datasync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
