import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import type { WalOptions, WalRecord } from './wal-types.js';
import { WriteAheadLog } from './write-ahead-log.js';

export interface TempLogDir {
  /** The current test's folder. */
  dir: () => string;
  /** Opens a log in the current test's folder, runs `use` with it and closes it, whatever `use` did. */
  withLog: <T>(options: Partial<WalOptions>, use: (log: WriteAheadLog) => Promise<T>) => Promise<T>;
}

/** A fresh temporary folder for each test of the calling file, removed after it. */
export function useTempLogDir(): TempLogDir {
  let dir = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wal-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  return { dir: () => dir, withLog: (options, use) => withLogIn(dir, options, use) };
}

/** A payload that tells records apart by its bytes. */
export const record = (i: number, size = 100): Buffer => Buffer.alloc(size, `record ${i};`);

/** Every record `readFrom(from)` yields now. */
export async function readAll(log: WriteAheadLog, from?: number): Promise<WalRecord[]> {
  const records: WalRecord[] = [];
  for await (const r of log.readFrom(from)) records.push(r);
  return records;
}

/** Opens a log in `dir`, runs `use` with it and closes it, whatever `use` did. */
async function withLogIn<T>(
  dir: string,
  options: Partial<WalOptions>,
  use: (log: WriteAheadLog) => Promise<T>,
): Promise<T> {
  const log = await WriteAheadLog.open({ dir, ...options });
  try {
    return await use(log);
  } finally {
    await log.close();
  }
}
