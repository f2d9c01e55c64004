import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSwitchableStoreExporter } from '../../../test/support/switchable-store-exporter.js';
import { paddedSpans } from '../../../test/support/padded-spans.js';
import type { SwitchableDriver } from '../../../test/support/switchable-driver.js';
import type { SpanRowsBatch, TraceStore } from '../../store/trace-store.js';
import type { StoreExporter } from './store-exporter.js';

/*
 * A range whose flush was cut short is replayed as its records are read, each tenant's in parts
 * of `replayPartBytes` of otel_traces rows, not held whole first (a 64 MiB flush's range is
 * ~115 MiB of records): what the replay holds stays near a part, and every span is still stored
 * once in both tables, a span sent twice included.
 */
const PART_BYTES = 16 * 1024;
const TENANTS = ['replay-a', 'replay-b'];
const RECORDS_PER_TENANT = 10;
const SPANS_PER_RECORD = 5;

let driver: SwitchableDriver;
let store: TraceStore;
let exporter: StoreExporter;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ driver, store, exporter, close } = await openSwitchableStoreExporter('replay-parts', {
    flushIntervalMs: 60_000,
    flushMaxBytes: 16 * 1024 * 1024,
    serviceGraph: { enabled: false },
    replayPartBytes: PART_BYTES,
  }));
}, 60_000);

afterAll(() => close());

const traceId = (tenant: number, record: number): string =>
  `${(tenant + 1).toString(16).padStart(2, '0')}${record.toString(16).padStart(30, '0')}`;

async function storedSpans(tenant: string, table: string): Promise<number> {
  const database = await store.database(tenant);
  return Number(await driver.text(`SELECT count() FROM \`${database}\`.${table}`));
}

function rowBytes(batch: SpanRowsBatch): number {
  const blocks = Buffer.isBuffer(batch.rows) ? [batch.rows] : batch.rows;
  return blocks.reduce((sum, block) => sum + block.length, 0);
}

describe('store exporter replaying a range whose flush was cut short', () => {
  it('replays each tenant in parts as it reads the range, each span once in both tables', async () => {
    let largestRecord = 0;
    for (let record = 0; record < RECORDS_PER_TENANT; record++)
      for (const [t, tenant] of TENANTS.entries())
        await exporter.consumeTraces(paddedSpans(traceId(t, record), SPANS_PER_RECORD), { tenant });
    // Sent again: the same rows in another part of the range. (The second tenant's: the failed
    // flush below stores none of its rows, which a replay then stores once.)
    await exporter.consumeTraces(paddedSpans(traceId(1, 0), SPANS_PER_RECORD), { tenant: TENANTS[1] });

    // The first tenant's first insert goes in, its copy's fails: the range stays pending, partly stored.
    driver.refuseTable = /tracehouse_trace_spans/;
    await expect(exporter.flushAll()).rejects.toThrow(/simulated ClickHouse outage/);
    expect(await storedSpans(TENANTS[0], 'otel_traces')).toBe(RECORDS_PER_TENANT * SPANS_PER_RECORD);
    for (const tenant of TENANTS) expect(await storedSpans(tenant, 'tracehouse_trace_spans')).toBe(0);

    const replays: { tenant: string; bytes: number; records: number }[] = [];
    const replaySpanRows = store.replaySpanRows.bind(store);
    store.replaySpanRows = (tenant, batch, ...rest) => {
      const records = Buffer.isBuffer(batch.rows) ? 1 : batch.rows.length;
      if (!Buffer.isBuffer(batch.rows))
        for (const block of batch.rows) largestRecord = Math.max(largestRecord, block.length);
      replays.push({ tenant, bytes: rowBytes(batch), records });
      return replaySpanRows(tenant, batch, ...rest);
    };
    driver.refuseTable = undefined;
    await exporter.flushAll();

    for (const tenant of TENANTS) {
      const parts = replays.filter((r) => r.tenant === tenant);
      // ~10 KB of rows a record: parts of two records, the last one smaller.
      expect(parts.length).toBeGreaterThanOrEqual(4);
      for (const part of parts) expect(part.bytes).toBeLessThan(PART_BYTES + largestRecord);
      expect(parts.reduce((sum, part) => sum + part.records, 0)).toBe(
        RECORDS_PER_TENANT + (tenant === TENANTS[1] ? 1 : 0),
      );
      expect(await storedSpans(tenant, 'otel_traces')).toBe(RECORDS_PER_TENANT * SPANS_PER_RECORD);
      expect(await storedSpans(tenant, 'tracehouse_trace_spans')).toBe(RECORDS_PER_TENANT * SPANS_PER_RECORD);
    }
    const trace = await store.getTrace(TENANTS[1], traceId(1, 0));
    expect(trace?.[0].scopeSpans[0].spans).toHaveLength(SPANS_PER_RECORD);
  });
});
