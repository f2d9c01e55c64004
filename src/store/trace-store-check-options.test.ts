import { describe, expect, it } from 'vitest';
import type { ClickHouseDriver } from './driver/clickhouse-driver.js';
import { TextIndexesUnsupportedError } from './schema/schema-options.js';
import { TraceStore } from './trace-store.js';

/** A driver that answers only `SELECT version()`, with `version`, and records what it was sent. */
function serverAt(version: string): { driver: ClickHouseDriver; sent: string[] } {
  const sent: string[] = [];
  const refuse = (): Promise<never> => Promise.reject(new Error('not expected here'));
  const driver: ClickHouseDriver = {
    text: (sql: string) => {
      sent.push(sql);
      return Promise.resolve(`${version}\n`);
    },
    exec: refuse,
    query: refuse,
    insertRowBinary: refuse,
    insertNative: refuse,
    stopInsert: refuse,
    close: () => Promise.resolve(),
  };
  return { driver, sent };
}

describe('TraceStore.checkSchemaOptions (called at start)', () => {
  it('refuses text indexes on a server before 26.2 though no database is created yet', async () => {
    const store = new TraceStore(serverAt('25.8.4.1').driver, { retentionSeconds: 0, textIndexes: true });
    await expect(store.checkSchemaOptions()).rejects.toThrow(TextIndexesUnsupportedError);
  });

  it('asks nothing with bloom filters, and takes text indexes from 26.2', async () => {
    const old = serverAt('25.8.4.1');
    await new TraceStore(old.driver, { retentionSeconds: 0 }).checkSchemaOptions();
    expect(old.sent).toEqual([]);
    await new TraceStore(serverAt('26.2.1.1').driver, {
      retentionSeconds: 0,
      textIndexes: true,
    }).checkSchemaOptions();
  });
});
