import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSwitchableStoreExporter } from '../../../test/support/switchable-store-exporter.js';
import { paddedSpans, until } from '../../../test/support/padded-spans.js';
import type { SwitchableDriver } from '../../../test/support/switchable-driver.js';
import { silentLogger } from '../../logging/logger.js';
import type { TraceStore } from '../../store/trace-store.js';
import { WriteAheadLog } from '../../wal/write-ahead-log.js';
import { StoreExporter } from './store-exporter.js';

/*
 * With full flushes waiting, the flusher reads the next flush's records into their spool files
 * while the one before is inserted. Reads of the log and checkpoints (WriteAheadLog.readFrom,
 * commitFlushed) are watched beside the driver's inserts, and the spool folder is looked at. The
 * timer is an hour: every flush here is one the full log started, or flushAll.
 */
/** 40 padded spans (~2 KB each) pass it. */
const FLUSH_MAX_BYTES = 64 * 1024;
const context = { tenant: 'single-tenant' };

let driver: SwitchableDriver;
let exporter: StoreExporter;
let wal: WriteAheadLog;
let store: TraceStore;
let dir: string;
let close: () => Promise<void>;
/** Inserts made before the current test. */
let base = 0;
/** Reads of the log and checkpoints, each with how many inserts had been made by then. */
const events: string[] = [];
/** When set, the checkpoint after `pass` more succeed fails with `error`. */
let failCheckpoint: { pass: number; error: Error } | undefined;
/** The flush spool files there are now. */
let spoolFiles: () => string[];

beforeAll(async () => {
  ({ driver, exporter, wal, store, close, dir } = await openSwitchableStoreExporter('read-ahead', {
    flushIntervalMs: 3_600_000,
    flushMaxBytes: FLUSH_MAX_BYTES,
    serviceGraph: { enabled: false },
  }));
  spoolFiles = () => readdirSync(join(dir, 'wal', 'flush-spool'));
  const readFrom = wal.readFrom.bind(wal);
  wal.readFrom = (position, readBytes) => {
    events.push(`read after ${driver.nativeInserts.length - base}`);
    return readFrom(position, readBytes);
  };
  const commitFlushed = wal.commitFlushed.bind(wal);
  wal.commitFlushed = (position) => {
    events.push(`checkpoint after ${driver.nativeInserts.length - base}`);
    if (failCheckpoint && failCheckpoint.pass-- === 0) {
      const { error } = failCheckpoint;
      failCheckpoint = undefined;
      return Promise.reject(error);
    }
    return commitFlushed(position);
  };
}, 60_000);

afterAll(() => close());

async function stored(traceId: string): Promise<{ traces: number; copy: number }> {
  const count = async (table: string): Promise<number> =>
    Number(
      (
        await driver.text(
          `SELECT count() FROM tracehouse_single_0tenant.${table} WHERE TraceId = {traceId:String}`,
          { traceId },
        )
      ).trim(),
    );
  return { traces: await count('otel_traces'), copy: await count('tracehouse_trace_spans') };
}

/** A promise inserts wait on (driver.hold), and what opens it. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

const traceId = (n: number): string => `${n.toString(16).padStart(4, '0')}${'e'.repeat(28)}`;

/**
 * Starts a flush of trace `n` (40 spans) with its insert held, then queues two full flushes
 * behind it (traces n + 1 and n + 2, 60 spans each); returns what lets the insert go on.
 * Events and the insert count start afresh.
 */
async function heldFlushWithTwoBehind(n: number): Promise<() => void> {
  const held = gate();
  driver.hold = held.promise;
  base = driver.nativeInserts.length;
  events.length = 0;
  await exporter.consumeTraces(paddedSpans(traceId(n), 40), context);
  await until(() => driver.nativeInserts.length === base + 1, 'the full log started a flush');
  await exporter.consumeTraces(paddedSpans(traceId(n + 1), 60), context);
  await exporter.consumeTraces(paddedSpans(traceId(n + 2), 60), context);
  return () => {
    driver.hold = undefined;
    held.open();
  };
}

/**
 * Events of heldFlushWithTwoBehind's flushes 1 and 2 once released: flush 2 read its own
 * records, then, with flush 3 full behind it, flush 3's, both before its first insert.
 */
const THROUGH_FLUSH_2 = [
  'read after 0',
  'checkpoint after 2',
  'read after 2',
  'read after 2',
  'checkpoint after 4',
];

/** Traces n (40 spans), n + 1 and n + 2 (60 each) are in both tables, each span once. */
async function expectEachStoredOnce(n: number): Promise<void> {
  for (const [trace, count] of [
    [n, 40],
    [n + 1, 60],
    [n + 2, 60],
  ])
    expect(await stored(traceId(trace))).toEqual({ traces: count, copy: count });
}

describe('store exporter reading ahead', () => {
  it("reads the next flush's records while this one is inserted, when a full flush waits behind it", async () => {
    const release = await heldFlushWithTwoBehind(1);
    // Flush 1 read its records into two spool files (otel_traces rows, the copy's) before its
    // insert, which is held; nothing waited behind it then, so it read nothing ahead.
    expect(events).toEqual(['read after 0']);
    expect(spoolFiles()).toHaveLength(2);
    release();
    await until(async () => (await stored(traceId(3))).copy === 60, 'every full flush is stored');
    await until(() => events.length === 6, 'the last checkpoint');

    // Flush 3 inserted what was read ahead and read nothing.
    expect(events).toEqual([...THROUGH_FLUSH_2, 'checkpoint after 6']);
    await expectEachStoredOnce(1);
    // Each flush's files are gone once it is inserted.
    expect(spoolFiles()).toEqual([]);
  });

  it('after a failed checkpoint, replays the range, then flushes what was read ahead: every span stored once', async () => {
    const release = await heldFlushWithTwoBehind(11);
    // Flush 2 inserts its spans, with flush 3 read ahead, but cannot write its checkpoint: its
    // intent stays.
    failCheckpoint = { pass: 1, error: new Error('simulated checkpoint failure') };
    release();
    await until(() => events.includes('checkpoint after 4'), "flush 2's checkpoint failed");
    expect(events).toEqual(THROUGH_FLUSH_2);

    await exporter.flushAll();
    await expectEachStoredOnce(11);
    await until(() => spoolFiles().length === 0, 'the files read ahead are removed');
  });

  it('removes spool files a crash left behind when it starts', async () => {
    // A second log and exporter beside the first, on the same engine, as after a restart.
    const walDir = join(dir, 'restarted-wal');
    const leftover = join(walDir, 'flush-spool');
    mkdirSync(leftover, { recursive: true });
    writeFileSync(join(leftover, 'crashed-flush-0.spans'), 'rows of a flush cut short');
    const restartedWal = await WriteAheadLog.open({ dir: walDir });
    const restarted = new StoreExporter(
      store,
      restartedWal,
      {
        flushIntervalMs: 3_600_000,
        flushMaxBytes: FLUSH_MAX_BYTES,
        stateDir: walDir,
        serviceGraph: { enabled: false },
      },
      silentLogger(),
    );
    try {
      await restarted.start();
      expect(readdirSync(walDir)).not.toContain('flush-spool');
    } finally {
      await restarted.shutdown();
    }
  });
});
