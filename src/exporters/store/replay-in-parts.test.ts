import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SwitchableStoreExporter } from '../../../test/support/switchable-store-exporter.js';
import { openSwitchableStoreExporter } from '../../../test/support/switchable-store-exporter.js';
import { paddedSpans } from '../../../test/support/padded-spans.js';
import type { SpanRowsBatch } from '../../store/trace-store.js';
import { decodeStoreRecord } from './wal-record.js';

/*
 * A range whose flush was cut short is replayed as its records are read, each tenant's in parts
 * of `replayPartBytes` of otel_traces rows (and the largest group whenever all hold two parts),
 * not held whole first (a 64 MiB flush's range is ~115 MiB of records): every span is still
 * stored once in both tables.
 */
const PART_BYTES = 16 * 1024;
const SPANS_PER_RECORD = 5;

let opened: SwitchableStoreExporter;

beforeEach(async () => {
  opened = await openSwitchableStoreExporter('replay-parts', {
    flushIntervalMs: 60_000,
    flushMaxBytes: 16 * 1024 * 1024,
    serviceGraph: { enabled: false },
    replayPartBytes: PART_BYTES,
  });
}, 60_000);

afterEach(() => opened.close());

const traceId = (tenant: number, record: number): string =>
  `${(tenant + 1).toString(16).padStart(2, '0')}${record.toString(16).padStart(30, '0')}`;

async function storedSpans(tenant: string, table: string): Promise<number> {
  const database = await opened.store.database(tenant);
  return Number(await opened.driver.text(`SELECT count() FROM \`${database}\`.${table}`));
}

function rowBlocks(batch: SpanRowsBatch): readonly Buffer[] {
  return Buffer.isBuffer(batch.rows) ? [batch.rows] : batch.rows;
}

/** What the replay did, in order: each record read from the log, each part replayed. */
type ReplayEvent = { kind: 'read'; rowBytes: number } | { kind: 'replay'; tenant: string; rowBytes: number };

/** Fails the range's first flush with nothing stored, then flushes again and records the replay. */
async function replayAfterFailedFlush(): Promise<ReplayEvent[]> {
  const { driver, store, wal, exporter } = opened;
  driver.down = true;
  await expect(exporter.flushAll()).rejects.toThrow(/simulated ClickHouse outage/);
  driver.down = false;

  const events: ReplayEvent[] = [];
  const readFrom = wal.readFrom.bind(wal);
  wal.readFrom = async function* (...args) {
    for await (const record of readFrom(...args)) {
      events.push({ kind: 'read', rowBytes: decodeStoreRecord(record.payload).rows.length });
      yield record;
    }
  };
  const replaySpanRows = store.replaySpanRows.bind(store);
  store.replaySpanRows = (tenant, batch, ...rest) => {
    const rowBytes = rowBlocks(batch).reduce((sum, block) => sum + block.length, 0);
    events.push({ kind: 'replay', tenant, rowBytes });
    return replaySpanRows(tenant, batch, ...rest);
  };
  await exporter.flushAll();
  return events;
}

/** The most otel_traces row bytes read and not yet replayed at any point. */
function mostHeld(events: readonly ReplayEvent[]): number {
  let held = 0;
  let most = 0;
  for (const event of events) {
    held += event.kind === 'read' ? event.rowBytes : -event.rowBytes;
    most = Math.max(most, held);
  }
  expect(held).toBe(0);
  return most;
}

const largestRecord = (events: readonly ReplayEvent[]): number =>
  Math.max(...events.map((e) => (e.kind === 'read' ? e.rowBytes : 0)));

describe('store exporter replaying a range whose flush was cut short', () => {
  it('replays each tenant in parts while it reads the range, each span once in both tables', async () => {
    const tenants = ['replay-a', 'replay-b'];
    const records = 10;
    for (let record = 0; record < records; record++)
      for (const [t, tenant] of tenants.entries())
        await opened.exporter.consumeTraces(paddedSpans(traceId(t, record), SPANS_PER_RECORD), { tenant });
    // Sent again: the same rows, in another part.
    await opened.exporter.consumeTraces(paddedSpans(traceId(1, 0), SPANS_PER_RECORD), {
      tenant: tenants[1],
    });

    const events = await replayAfterFailedFlush();
    const replays = events.filter((e) => e.kind === 'replay');
    // ~10 KB of rows a record: a part every two records of a tenant, the tenants' parts in turn
    // (a replay after reading the whole range would do one tenant's parts, then the other's).
    expect(replays.length).toBeGreaterThanOrEqual(8);
    expect(replays.slice(0, 4).map((r) => r.tenant)).toEqual([...tenants, ...tenants]);
    for (const part of replays) expect(part.rowBytes).toBeLessThan(PART_BYTES + largestRecord(events));
    expect(mostHeld(events)).toBeLessThan(2 * PART_BYTES + largestRecord(events));
    for (const tenant of tenants) {
      expect(await storedSpans(tenant, 'otel_traces')).toBe(records * SPANS_PER_RECORD);
      expect(await storedSpans(tenant, 'tracehouse_trace_spans')).toBe(records * SPANS_PER_RECORD);
    }
    const trace = await opened.store.getTrace(tenants[1], traceId(1, 0));
    expect(trace?.[0].scopeSpans[0].spans).toHaveLength(SPANS_PER_RECORD);
  });

  it('replays the largest group when many tenants, each under a part, hold two parts together', async () => {
    const tenants = Array.from({ length: 8 }, (_, t) => `replay-many-${t}`);
    for (const [t, tenant] of tenants.entries())
      await opened.exporter.consumeTraces(paddedSpans(traceId(t, 0), SPANS_PER_RECORD), { tenant });

    const events = await replayAfterFailedFlush();
    // Each tenant's one record (~10 KB) is under a part: held until two parts' worth wait.
    expect(mostHeld(events)).toBeLessThan(2 * PART_BYTES + largestRecord(events));
    expect(events.filter((e) => e.kind === 'replay')).toHaveLength(tenants.length);
    for (const tenant of tenants) {
      expect(await storedSpans(tenant, 'otel_traces')).toBe(SPANS_PER_RECORD);
      expect(await storedSpans(tenant, 'tracehouse_trace_spans')).toBe(SPANS_PER_RECORD);
    }
  });
});
