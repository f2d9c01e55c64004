import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import { flushLogRecords } from '../../../test/support/flush-log-records.js';
import type { SwitchableDriver } from '../../../test/support/switchable-driver.js';
import { openSwitchableStoreExporter } from '../../../test/support/switchable-store-exporter.js';
import { emptyResource, emptyScope, emptySpan } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { encodeSpanRows } from '../../store/rows/encode-span-rows.js';
import { encodeSpanBlocks } from '../../store/rows/span-blocks.js';
import { tenantDatabaseName } from '../../store/schema/tenant-database.js';
import { COPY_TRUST_DELAY_SECONDS } from '../../store/schema/trace-copy-changes.js';
import { TraceStore } from '../../store/trace-store.js';
import type { StoreExporter } from './store-exporter.js';
import { encodeNativeStoreRecord, encodeStoreRecord } from './wal-record.js';

/*
 * `--trace-copy off`: the store exporter writes otel_traces only, and trace by id reads it from
 * there. Turned on again, the copy is read only for traces it holds whole.
 */
const TENANT = 'single-tenant';
const DB = 'tracehouse_single_0tenant';
let driver: SwitchableDriver;
let store: TraceStore;
let exporter: StoreExporter;
let close: () => Promise<void>;
let dir: string;

beforeAll(async () => {
  ({ driver, store, exporter, close, dir } = await openSwitchableStoreExporter(
    'copy-off',
    { flushIntervalMs: 60_000, flushMaxBytes: 16 * 1024 * 1024, serviceGraph: { enabled: false } },
    {},
    { traceCopy: false },
  ));
}, 60_000);

afterAll(() => close());

async function count(table: string, traceId: string, database = DB): Promise<number> {
  const text = await driver.text(
    `SELECT count() FROM ${database}.${table} WHERE TraceId = {traceId:String}`,
    { traceId },
  );
  return Number(text.trim());
}

/** Flushes a log of `records` into `withStore`, as a process started after a restart would. */
function flushLog(name: string, withStore: TraceStore, records: Buffer[]): Promise<void> {
  return flushLogRecords(withStore, mkdtempSync(join(dir, `${name}-`)), records);
}

function oneSpan(traceId: string, spanId: string, startSeconds: number): TracesData {
  const start = BigInt(Math.floor(startSeconds)) * 1_000_000_000n;
  return [
    {
      resource: { ...emptyResource(), attributes: [{ key: 'service.name', value: 'svc' }] },
      schemaUrl: '',
      scopeSpans: [
        {
          scope: emptyScope(),
          schemaUrl: '',
          spans: [
            {
              ...emptySpan(),
              traceId,
              spanId,
              name: spanId,
              startTimeUnixNano: start,
              endTimeUnixNano: start + 1000n,
            },
          ],
        },
      ],
    },
  ];
}

const spanIds = (trace: TracesData | undefined): string[] =>
  (trace ?? []).flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((span) => span.spanId))).sort();

describe('store exporter with the copy off', () => {
  it('stores otel_traces rows only, and trace by id reads them back exactly', async () => {
    const traceId = 'c0ff0000c0ff0000c0ff0000c0ff0001';
    await exporter.consumeTraces(everyKindBatch(traceId), { tenant: TENANT });
    await exporter.flushAll();
    expect([await count('otel_traces', traceId), await count('tracehouse_trace_spans', traceId)]).toEqual([
      1, 0,
    ]);
    expect(await store.getTrace(TENANT, traceId)).toEqual(everyKindBatch(traceId));
    expect(await store.getTraces(TENANT, [traceId])).toEqual([everyKindBatch(traceId)]);
    // No outline without the copy: the caller reads the whole trace.
    expect(await store.getTraceOutline(TENANT, traceId, undefined, 'test', () => 'outline')).toBeUndefined();
  });

  it('replays a failed flush without making copy rows', async () => {
    const traceId = 'c0ff0000c0ff0000c0ff0000c0ff0002';
    await exporter.consumeTraces(everyKindBatch(traceId), { tenant: TENANT });
    driver.refuseTable = /otel_traces/;
    await expect(exporter.flushAll()).rejects.toThrow(/simulated ClickHouse outage/);
    driver.refuseTable = undefined;
    await exporter.flushAll();
    expect([await count('otel_traces', traceId), await count('tracehouse_trace_spans', traceId)]).toEqual([
      1, 0,
    ]);
    expect(await store.getTrace(TENANT, traceId)).toEqual(everyKindBatch(traceId));
  });

  it('does not read the copy while it is off', async () => {
    const traceId = 'c0ff0000c0ff0000c0ff0000c0ff0003';
    // Rows of the copy alone (as an earlier run with the copy on could leave for a trace whose
    // other spans came after): trace by id must not answer from them.
    await store.insertTraceSpanRows(
      TENANT,
      encodeSpanBlocks(oneSpan(traceId, 'aaaaaaaaaaaaaaaa', Date.now() / 1000)).traceSpans,
    );
    expect(await store.getTrace(TENANT, traceId)).toBeUndefined();
  });

  it('turned on again, reads a trace from the copy only when the copy holds all of it', async () => {
    const now = Date.now() / 1000;
    const straddling = 'c0ff0000c0ff0000c0ff0000c0ff0004';
    // Before the change: a span in otel_traces only (the exporter's store has the copy off).
    await exporter.consumeTraces(oneSpan(straddling, '1000000000000001', now), { tenant: TENANT });
    await exporter.flushAll();

    const on = new TraceStore(driver, { retentionSeconds: 0, traceCopy: true });
    // After it: the trace's next span in both tables.
    await on.insertSpans(TENANT, encodeSpanBlocks(oneSpan(straddling, '1000000000000002', now + 1)));
    expect(spanIds(await on.getTrace(TENANT, straddling))).toEqual(['1000000000000001', '1000000000000002']);
    expect(spanIds((await on.getTraces(TENANT, [straddling]))[0] as TracesData)).toEqual([
      '1000000000000001',
      '1000000000000002',
    ]);
    expect(await on.getTraceOutline(TENANT, straddling, undefined, 'test', () => 'outline')).toBeUndefined();

    // A trace that starts well after the change is read from the copy: here it is only there.
    const later = 'c0ff0000c0ff0000c0ff0000c0ff0005';
    const laterStart = now + COPY_TRUST_DELAY_SECONDS + 60;
    await on.insertTraceSpanRows(
      TENANT,
      encodeSpanBlocks(oneSpan(later, '2000000000000001', laterStart)).traceSpans,
    );
    expect(spanIds(await on.getTrace(TENANT, later))).toEqual(['2000000000000001']);
    expect(spanIds((await on.getTraces(TENANT, [later]))[0] as TracesData)).toEqual(['2000000000000001']);
    expect(await on.getTraceOutline(TENANT, later, undefined, 'test', () => 'outline')).toBe('outline');

    const changes = await driver.text(
      `SELECT Enabled FROM ${DB}.tracehouse_trace_copy_changes ORDER BY At FORMAT TSV`,
    );
    expect(changes.trim().split('\n')).toEqual(['false', 'true']);
  });

  it('reads a trace whose spans are hours apart across the change from otel_traces', async () => {
    const now = Date.now() / 1000;
    const traceId = 'c0ff0000c0ff0000c0ff0000c0ff0006';
    // A message's producer, stored while the copy was off; its consumer hours after the copy is back.
    await exporter.consumeTraces(oneSpan(traceId, '3000000000000001', now - 300), { tenant: TENANT });
    await exporter.flushAll();
    const on = new TraceStore(driver, { retentionSeconds: 0, traceCopy: true });
    await on.insertSpans(TENANT, encodeSpanBlocks(oneSpan(traceId, '3000000000000002', now + 3 * 3600)));
    expect(spanIds(await on.getTrace(TENANT, traceId))).toEqual(['3000000000000001', '3000000000000002']);
  });

  it('records a gap when a process with the copy flushes records written without it', async () => {
    const tenant = 'late-flush';
    const database = tenantDatabaseName(tenant);
    const now = Date.now() / 1000;
    const traceId = 'c0ff0000c0ff0000c0ff0000c0ff0007';
    // A process without the copy took these and died before flushing them: nothing was recorded.
    const on = new TraceStore(driver, { retentionSeconds: 0, traceCopy: true });
    await flushLog('late', on, [encodeStoreRecord(tenant, oneSpan(traceId, '4000000000000001', now), false)]);
    expect([
      await count('otel_traces', traceId, database),
      await count('tracehouse_trace_spans', traceId, database),
    ]).toEqual([1, 0]);
    const changes = await driver.text(
      `SELECT Enabled FROM ${database}.tracehouse_trace_copy_changes ORDER BY At FORMAT TSV`,
    );
    expect(changes.trim().split('\n')).toEqual(['false', 'true']);
    // The trace's next span, in both tables: the trace still reads whole.
    await on.insertSpans(tenant, encodeSpanBlocks(oneSpan(traceId, '4000000000000002', now + 1)));
    expect(spanIds(await on.getTrace(tenant, traceId))).toEqual(['4000000000000001', '4000000000000002']);
  });

  it('makes no copy rows for records of older versions while the copy is off', async () => {
    const tenant = 'old-records';
    const database = tenantDatabaseName(tenant);
    const traceId = 'c0ff0000c0ff0000c0ff0000c0ff0008';
    // Records from before the copy was in the record are replayed; with the copy on, the replay
    // makes their copy rows by SQL.
    const off = new TraceStore(driver, { retentionSeconds: 0, traceCopy: false });
    await flushLog('old', off, [encodeNativeStoreRecord(tenant, encodeSpanRows(everyKindBatch(traceId)))]);
    expect([
      await count('otel_traces', traceId, database),
      await count('tracehouse_trace_spans', traceId, database),
    ]).toEqual([1, 0]);
    expect(await off.getTrace(tenant, traceId)).toEqual(everyKindBatch(traceId));
  });
});
