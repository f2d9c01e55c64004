import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Session } from 'chdb';
import type { SqlRunner } from '../../src/store/schema/sql-runner.js';

/**
 * Test support: one embedded engine per test file (chdb allows one data directory per process),
 * in a fresh temporary directory; tests create and drop databases inside it.
 */
export interface TestEngine {
  readonly session: Session;
  readonly run: SqlRunner;
  /** Every statement `run` was given, in order, for tests that check what was (not) sent. */
  readonly log: string[];
  /** One-row, one-column TSV queries, trimmed. */
  value(sql: string): Promise<string>;
  /** `FORMAT JSONEachRow` rows. */
  rows<T>(sql: string): Promise<T[]>;
  close(): void;
}

export function openTestEngine(): TestEngine {
  const dir = mkdtempSync(join(tmpdir(), 'tracehouse-schema-'));
  const session = new Session(dir);
  const log: string[] = [];
  const run: SqlRunner = async (sql) => {
    log.push(sql);
    return (await session.queryAsync(sql, { format: 'TSV' })).text();
  };
  return {
    session,
    run,
    log,
    value: async (sql) => (await session.queryAsync(sql, { format: 'TSV' })).text().trim(),
    rows: async <T>(sql: string) =>
      (await session.queryAsync(sql, { format: 'JSONEachRow' }))
        .text()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as T),
    close: () => {
      session.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
