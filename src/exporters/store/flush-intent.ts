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

export type FlushIntentRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'range'; readonly range: FlushRange }
  | { readonly kind: 'damaged'; readonly reason: string };

/** What a flush cut short leaves to replay, against the log as it is now. */
export interface IntentReplay {
  readonly range: FlushRange;
  /** Why the intent's range was not taken as written (it is logged); absent when it was. */
  readonly problem?: string;
}

/**
 * The range to replay for `intent`, given the log's flushed and next positions; undefined when
 * there is no intent. The range always lies within what the log can commit, so committing its
 * end never moves the checkpoint back (commitFlushed ignores that) or past the log's end:
 * - a damaged intent replays everything unflushed, [flushed, next), by comparison, as a log
 *   without its checkpoint does: which records its flush had reached is unknown;
 * - a range starting after the checkpoint replays from the checkpoint: the records between were
 *   never committed, and committing past them would skip them;
 * - a range ending past the log (its tail was cut at recovery, or the log was replaced) ends at
 *   the log's end, which is all there is to replay.
 */
export function intentReplay(
  intent: FlushIntentRead,
  flushed: number,
  next: number,
): IntentReplay | undefined {
  if (intent.kind === 'none') return undefined;
  if (intent.kind === 'damaged') {
    return {
      range: { first: flushed, end: next },
      problem: `the flush intent is damaged (${intent.reason})`,
    };
  }
  const { range } = intent;
  // A range that starts after the checkpoint is replayed from the checkpoint, without a word: a
  // flush starts at the first record there is (after damage, past missing positions), and a lost
  // checkpoint reads as 0; the records in between are compared like the rest.
  const first = Math.min(range.first, flushed);
  if (range.end <= next) return { range: { ...range, first } };
  return {
    range: { ...range, first, end: next },
    problem: `the flush intent does not match the log: its range ends at ${range.end}, past the log's end (${next})`,
  };
}

/** An intent file's text as `write` makes it, or why it is not. */
function parseIntent(text: string): FlushIntentRead {
  if (text.trim() === '') return { kind: 'damaged', reason: 'the file is empty' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { kind: 'damaged', reason: `not JSON: ${(error as Error).message}` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    return { kind: 'damaged', reason: 'not a JSON object' };
  const { first, end, insertId } = parsed as Record<string, unknown>;
  if (!isPosition(first) || !isPosition(end))
    return {
      kind: 'damaged',
      reason: `first (${JSON.stringify(first)}) and end (${JSON.stringify(end)}) must be integers of 0 or more`,
    };
  if (first > end) return { kind: 'damaged', reason: `first (${first}) is past end (${end})` };
  if (insertId !== undefined && typeof insertId !== 'string')
    return { kind: 'damaged', reason: 'insertId is not a string' };
  const range: FlushRange = { first, end };
  if (insertId !== undefined) range.insertId = insertId;
  return { kind: 'range', range };
}

function isPosition(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
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

  /**
   * The intent on disk. One that is there but cannot be trusted (empty, not JSON, positions that
   * are not integers or are reversed: a file written by hand, or by a disk that lost it) is
   * `damaged`, not an error: start-up must not fail on it for ever, nor skip or repeat a range.
   */
  async read(): Promise<FlushIntentRead> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
      throw error;
    }
    return parseIntent(text);
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
