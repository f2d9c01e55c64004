import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

export interface TestEngineOptions {
  /**
   * Clusters the engine knows (`remote_servers`), each one shard on a port where nothing listens:
   * enough to create `Distributed` tables over them, which ClickHouse refuses for an unknown one.
   */
  clusters?: readonly string[];
}

export function openTestEngine(options: TestEngineOptions = {}): TestEngine {
  const dir = mkdtempSync(join(tmpdir(), 'tracehouse-schema-'));
  const clusters = options.clusters ?? [];
  let connectionArgs: string[] = [];
  if (clusters.length > 0) {
    const file = join(dir, 'clusters.xml');
    const shard = '<shard><replica><host>127.0.0.1</host><port>1</port></replica></shard>';
    const servers = clusters.map((name) => `<${name}>${shard}</${name}>`).join('');
    writeFileSync(file, `<clickhouse><remote_servers>${servers}</remote_servers></clickhouse>`);
    connectionArgs = [`--config-file=${file}`];
  }
  const session = new Session(join(dir, 'engine'), { connectionArgs });
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
