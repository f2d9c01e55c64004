import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedDriver } from '../../store/driver/embedded-driver.js';
import { encodeSpanRows } from '../../store/rows/encode-span-rows.js';
import { encodeSpanBlocks } from '../../store/rows/span-blocks.js';
import { SPAN_ROW_COLUMN_LIST } from '../../store/rows/span-row-columns.js';
import { tenantDatabaseName } from '../../store/schema/tenant-database.js';
import { TraceStore } from '../../store/trace-store.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import { flushLogRecords } from '../../../test/support/flush-log-records.js';
import { encodeNativeStoreRecord, encodeStoreRecord } from './wal-record.js';

/*
 * A write-ahead log written before the store's rows became Native blocks holds RowBinary rows
 * (records whose first byte has the high bit clear). After an upgrade it must still flush, once.
 */
let dir: string;
let store: TraceStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-legacy-wal-'));
  store = new TraceStore(await EmbeddedDriver.open(join(dir, 'data')), { retentionSeconds: 0 });
});

afterAll(async () => {
  await store.driver.close();
  rmSync(dir, { recursive: true, force: true });
});

/** RowBinary rows of a trace, as the encoder before Native wrote them: ClickHouse writes them here. */
async function rowBinaryOf(traceId: string): Promise<Buffer> {
  await store.insertSpans('source', encodeSpanBlocks(everyKindBatch(traceId)));
  const file = join(dir, `${traceId}.rowbinary`);
  await store.driver.exec(
    `INSERT INTO FUNCTION file({file:String}, 'RowBinary') SELECT ${SPAN_ROW_COLUMN_LIST} ` +
      `FROM ${tenantDatabaseName('source')}.otel_traces WHERE TraceId = {traceId:String}`,
    { file, traceId },
  );
  return readFileSync(file);
}

/** A store record in the layout before Native: tenant length (high bit clear), tenant, rows. */
function legacyRecord(tenant: string, rows: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tenant.length]), Buffer.from(tenant), rows]);
}

function replay(walDir: string, records: Buffer[], beforeStart?: () => Promise<void>): Promise<void> {
  return flushLogRecords(store, walDir, records, beforeStart);
}

describe('a write-ahead log from before Native rows', () => {
  it('flushes its RowBinary records: the trace reads back as the same spans', async () => {
    const traceId = '5b8efff798038103d269b633813fc60c';
    const rows = await rowBinaryOf(traceId);
    await replay(join(dir, 'wal-1'), [legacyRecord('legacy', rows)]);
    const stored = await store.getTrace('legacy', traceId);
    expect(stored).toBeDefined();
    expect(stored).toEqual(await store.getTrace('source', traceId));
  });

  it('is not stored twice when the old version had inserted the range before it stopped', async () => {
    const traceId = '6c9f0008a9149214e37ac744924fd71d';
    const rows = await rowBinaryOf(traceId);
    // As though the old version had stored the range and stopped before moving its checkpoint.
    await replay(join(dir, 'wal-2'), [legacyRecord('again', rows)], async () => {
      await store.replaySpanRows('again', { format: 'RowBinary', rows });
    });
    const [{ n }] = await store.driver.query<{ n: string }>(
      `SELECT count() AS n FROM ${tenantDatabaseName('again')}.otel_traces WHERE TraceId = {traceId:String}`,
      { traceId },
    );
    expect(Number(n)).toBe(1); // everyKindBatch is one span
  });

  it('flushes a range holding all three record layouts, each span once in both tables', async () => {
    const oldTrace = '7da01119ba25a325f48bd855a35ae82e';
    const nativeTrace = '8eb1222acb36b436059ce966b46bf93f';
    const newTrace = '9fc2333bdc47c547160dfa77c57ca040';
    const rows = await rowBinaryOf(oldTrace);
    await replay(join(dir, 'wal-3'), [
      legacyRecord('mixed', rows),
      encodeNativeStoreRecord('mixed', encodeSpanRows(everyKindBatch(nativeTrace))),
      encodeStoreRecord('mixed', everyKindBatch(newTrace)),
    ]);
    const db = tenantDatabaseName('mixed');
    const [{ n }] = await store.driver.query<{ n: string }>(`SELECT count() AS n FROM ${db}.otel_traces`);
    expect(Number(n)).toBe(3);
    // Records without the copy's rows get them in layout 2, made by SQL; the current one its own.
    const layouts = await store.driver.query<{ TraceId: string; head: string }>(
      `SELECT TraceId, if(startsWith(Span, '['), substring(Span, 1, 2), hex(substring(Span, 1, 1))) AS head
       FROM ${db}.tracehouse_trace_spans ORDER BY TraceId`,
    );
    expect(layouts).toEqual([
      { TraceId: oldTrace, head: '[2' },
      { TraceId: nativeTrace, head: '[2' },
      { TraceId: newTrace, head: '03' },
    ]);
    expect(await store.getTrace('mixed', oldTrace)).toEqual(await store.getTrace('source', oldTrace));
    for (const traceId of [nativeTrace, newTrace])
      expect(await store.getTrace('mixed', traceId)).toEqual(everyKindBatch(traceId));
  });
});
