import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSwitchableStoreExporter } from '../../../test/support/switchable-store-exporter.js';
import { paddedSpans, until } from '../../../test/support/padded-spans.js';
import type { SwitchableDriver } from '../../../test/support/switchable-driver.js';
import type { StoreExporter } from './store-exporter.js';

/*
 * The flusher's pace: a full log flushes at once and keeps flushing while full flushes wait, but
 * the little that arrives during an insert waits for the timer, so inserts stay large. The timer
 * is an hour here: whatever is flushed, the full-log rule flushed.
 */
/** 40 padded spans (~2 KB each) pass it. */
const FLUSH_MAX_BYTES = 64 * 1024;
const context = { tenant: 'single-tenant' };

let driver: SwitchableDriver;
let exporter: StoreExporter;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ driver, exporter, close } = await openSwitchableStoreExporter('flush-pacing', {
    flushIntervalMs: 3_600_000,
    flushMaxBytes: FLUSH_MAX_BYTES,
    serviceGraph: { enabled: false },
  }));
}, 60_000);

afterAll(() => close());

async function stored(traceId: string): Promise<number> {
  const text = await driver.text(
    'SELECT count() FROM tracehouse_single_0tenant.tracehouse_trace_spans WHERE TraceId = {traceId:String}',
    { traceId },
  );
  return Number(text.trim());
}

/** Holds the driver's inserts until the returned function is called. */
function holdInserts(): () => void {
  let release!: () => void;
  driver.hold = new Promise<void>((resolve) => (release = resolve));
  return () => {
    driver.hold = undefined;
    release();
  };
}

const traceId = (n: number): string => `${n.toString(16).padStart(4, '0')}${'f'.repeat(28)}`;

describe('store exporter flush pacing', () => {
  it('leaves what came in during an insert for the timer, not a small insert at once', async () => {
    const release = holdInserts();
    const insertsBefore = driver.nativeInserts.length;
    await exporter.consumeTraces(paddedSpans(traceId(1), 40), context);
    await until(() => driver.nativeInserts.length > insertsBefore, 'the full log started a flush');
    await exporter.consumeTraces(paddedSpans(traceId(2), 1), context);
    release();
    await until(async () => (await stored(traceId(1))) === 40, 'the full flush is stored');
    // Time enough for a flush that drains the log to start its next insert.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(driver.nativeInserts.length - insertsBefore).toBe(2); // otel_traces, then the copy
    expect(await stored(traceId(2))).toBe(0);

    await exporter.flushAll();
    expect(await stored(traceId(2))).toBe(1);
  });

  it('keeps flushing without the timer while full flushes wait', async () => {
    const release = holdInserts();
    const insertsBefore = driver.nativeInserts.length;
    await exporter.consumeTraces(paddedSpans(traceId(3), 40), context);
    await until(() => driver.nativeInserts.length > insertsBefore, 'the full log started a flush');
    await exporter.consumeTraces(paddedSpans(traceId(4), 60), context);
    await exporter.consumeTraces(paddedSpans(traceId(5), 60), context);
    release();
    await until(async () => (await stored(traceId(5))) === 60, 'every full flush is stored');
    expect(await stored(traceId(3))).toBe(40);
    expect(await stored(traceId(4))).toBe(60);
  });
});
