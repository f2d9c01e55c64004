import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { EmbeddedDriver } from '../src/store/driver/embedded-driver.js';
import type { SpanBlocks } from '../src/store/rows/span-blocks.js';
import { encodeSpanBlocks } from '../src/store/rows/span-blocks.js';
import { TraceStore } from '../src/store/trace-store.js';
import { RssSampler } from './rss-sampler.js';
import { SPANS_PER_BATCH, workloadBatch } from './store-workloads.js';
import { formatInteger, renderTable } from './table.js';

/*
 * What a crash costs at the next start (issue 3): the flush that was under way is replayed —
 * loaded into a Memory table and compared with what the tables hold (src/store/span-rows-replay.ts)
 * — instead of inserted. Measured on the embedded engine over a table already holding
 * `--stored` spans of the same hour, for a flush of `--spans` spans (the default is about the
 * 32 MiB a flush held at most; 73728 for today's 64 MiB) of which none, half or all had been
 * stored before the "crash", beside a plain insert of the same size, with the process's RSS
 * before each case and its peak during it (the replay holds the range and loads it into Memory
 * tables).
 *
 *   node dist/bench/store-replay-bench.js [--quick] [--spans 147456] [--stored 1000000]
 */
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    spans: { type: 'string' },
    stored: { type: 'string' },
  },
});
args.spans ??= args.quick ? '20480' : '147456';
args.stored ??= args.quick ? '102400' : '1000000';
const flushBatches = Math.max(2, Math.round(Number(args.spans) / SPANS_PER_BATCH));
const storedBatches = Math.round(Number(args.stored) / SPANS_PER_BATCH);
const tenant = 'replay-bench';
const endNanos = BigInt(Date.now()) * 1_000_000n;
const hourNanos = 3600n * 1_000_000_000n;
let batchIndex = 0;

/** Both tables' Native blocks of `count` fresh batches spread over the last hour. */
function flushBlocks(count: number): SpanBlocks[] {
  return Array.from({ length: count }, () => {
    const index = batchIndex++;
    const base = endNanos - hourNanos + (BigInt(index % 3600) * hourNanos) / 3600n;
    return encodeSpanBlocks(workloadBatch('synthetic', index, base, 1_000_000n));
  });
}

const dir = await mkdtemp(join(tmpdir(), 'tracehouse-replay-bench-'));
const driver = await EmbeddedDriver.open(dir);
try {
  const store = new TraceStore(driver, { retentionSeconds: 0, traceCache: { maxSpans: 0, maxAgeMs: 0 } });
  for (let done = 0; done < storedBatches; done += 256)
    await store.insertSpans(tenant, flushBlocks(Math.min(256, storedBatches - done)));
  const rows: string[][] = [];
  const mib = (bytes: number): string => formatInteger(Math.round(bytes / (1024 * 1024)));
  const time = async (run: () => Promise<unknown>): Promise<{ ms: number; rss: string; peak: string }> => {
    const rss = mib(process.memoryUsage.rss());
    const sampler = new RssSampler(50);
    sampler.start();
    const started = performance.now();
    await run();
    const ms = performance.now() - started;
    return { ms, rss, peak: mib(sampler.stop().peakBytes) };
  };
  const insert = await time(() => store.insertSpans(tenant, flushBlocks(flushBatches)));
  rows.push([
    'plain insert (no crash)',
    formatInteger(flushBatches * SPANS_PER_BATCH),
    '',
    insert.ms.toFixed(0),
    insert.rss,
    insert.peak,
  ]);
  for (const [name, storedShare] of [
    ['replay, none stored before', 0],
    ['replay, half stored before', 0.5],
    ['replay, all stored before', 1],
  ] as const) {
    const blocks = flushBlocks(flushBatches);
    const before = Math.round(blocks.length * storedShare);
    if (before > 0) await store.insertSpans(tenant, blocks.slice(0, before));
    let missing = 0;
    const { ms, rss, peak } = await time(async () => {
      missing = (
        await store.replaySpanRows(tenant, {
          format: 'Native',
          rows: blocks.map((b) => b.spans),
          traceSpanRows: blocks.map((b) => b.traceSpans),
        })
      ).missingSpans;
    });
    rows.push([
      name,
      formatInteger(blocks.length * SPANS_PER_BATCH),
      formatInteger(missing),
      ms.toFixed(0),
      rss,
      peak,
    ]);
  }
  process.stdout.write(
    renderTable(
      `Replaying an interrupted flush (${formatInteger(storedBatches * SPANS_PER_BATCH)} spans stored before)`,
      ['case', 'spans in the flush', 'missing, inserted', 'ms', 'RSS before, MiB', 'peak RSS, MiB'],
      rows,
      [`load average ${loadavg()[0].toFixed(2)} at the end`],
    ),
  );
} finally {
  await driver.close();
  await rm(dir, { recursive: true, force: true });
}
