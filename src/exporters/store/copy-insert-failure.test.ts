import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSwitchableStoreExporter } from '../../../test/support/switchable-store-exporter.js';
import type { TraceStore } from '../../store/trace-store.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import type { SwitchableDriver } from '../../../test/support/switchable-driver.js';
import type { StoreExporter } from './store-exporter.js';

/*
 * A flush is two inserts: otel_traces, then the trace-id-ordered copy. When the second fails (or
 * the process dies between them), the range stays pending and the next flush replays it: the
 * copy gets its rows and otel_traces none twice.
 */
let driver: SwitchableDriver;
let store: TraceStore;
let exporter: StoreExporter;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ driver, store, exporter, close } = await openSwitchableStoreExporter('copy-failure', {
    flushIntervalMs: 60_000,
    flushMaxBytes: 16 * 1024 * 1024,
    serviceGraph: { enabled: false },
  }));
}, 60_000);

afterAll(() => close());

async function counts(traceId: string): Promise<[string, string]> {
  const count = async (table: string): Promise<string> =>
    (
      await driver.text(
        `SELECT count() FROM tracehouse_single_0tenant.${table} WHERE TraceId = {traceId:String}`,
        {
          traceId,
        },
      )
    ).trim();
  return [await count('otel_traces'), await count('tracehouse_trace_spans')];
}

describe('store exporter when the copy insert fails after the otel_traces insert', () => {
  it('keeps the range pending and replays it: each span once in both tables', async () => {
    const traceId = 'c0b1c0b1c0b1c0b1c0b1c0b1c0b1c0b1';
    await exporter.consumeTraces(everyKindBatch(traceId), { tenant: 'single-tenant' });
    driver.refuseTable = /tracehouse_trace_spans/;
    await expect(exporter.flushAll()).rejects.toThrow(/simulated ClickHouse outage/);
    expect(await counts(traceId)).toEqual(['1', '0']);

    driver.refuseTable = undefined;
    await exporter.flushAll();
    expect(await counts(traceId)).toEqual(['1', '1']);
    expect(await store.getTrace('single-tenant', traceId)).toEqual(everyKindBatch(traceId));
  });
});
