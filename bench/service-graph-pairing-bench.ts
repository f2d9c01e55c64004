import { parseArgs } from 'node:util';
import type { TracesData } from '../src/model/span.js';
import { EdgeRowsBuffer } from '../src/servicegraph/edge-rows-buffer.js';
import { ServiceGraphPairer } from '../src/servicegraph/service-graph-pairer.js';
import { DEFAULT_SERVICE_GRAPH_OPTIONS } from '../src/servicegraph/service-graph-options.js';
import { encodeSpanRows } from '../src/store/rows/encode-span-rows.js';
import type { StoreWorkload } from './store-workloads.js';
import { SPANS_PER_BATCH, workloadBatch } from './store-workloads.js';
import { median } from './stats.js';
import { formatFixed, formatInteger, renderTable } from './table.js';

/*
 * The cost of service graph pairing on the store path (src/servicegraph): main-thread time per
 * span of ServiceGraphPairer.add with the RowBinary row buffer, next to encodeSpanRows (the
 * store's own per-span work) on the same batches, and the memory a waiting span holds.
 * Batches are made first (untimed); "per service" splits each batch into one batch per service
 * (resource), as separate processes send them, so most pairs meet across batches.
 *
 *   node --expose-gc dist/bench/service-graph-pairing-bench.js [--quick] [--spans 1000000] [--rounds 5]
 */
const { values: args } = parseArgs({
  options: {
    spans: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    quick: { type: 'boolean' },
  },
});
const totalSpans = Number(args.spans ?? (args.quick === true ? '100000' : '1000000'));
const rounds = Number(args.rounds);
const gc = (globalThis as { gc?: () => void }).gc;

/** Batches over one simulated hour: 10 M spans an hour is ~2,800 a second, the load. */
function makeBatches(workload: StoreWorkload, perService: boolean): { data: TracesData; atMs: number }[] {
  const batches = Math.ceil(totalSpans / SPANS_PER_BATCH);
  const hourNanos = 3_600_000_000_000n;
  const start = BigInt(Date.now()) * 1_000_000n - hourNanos;
  const out: { data: TracesData; atMs: number }[] = [];
  for (let b = 0; b < batches; b++) {
    const base = start + (hourNanos * BigInt(b)) / BigInt(batches);
    const data = workloadBatch(workload, b, base, 1_000_000n);
    const atMs = Number(base / 1_000_000n);
    if (perService) for (const rs of data) out.push({ data: [rs], atMs });
    else out.push({ data, atMs });
  }
  return out;
}

const rows: string[][] = [];
for (const workload of ['example', 'synthetic'] as const)
  for (const perService of [false, true]) {
    const batches = makeBatches(workload, perService);
    const spans = batches.reduce(
      (n, b) => n + b.data.reduce((m, rs) => m + rs.scopeSpans[0].spans.length, 0),
      0,
    );
    const pairNs: number[] = [];
    const encodeNs: number[] = [];
    let made = 0;
    let items = 0;
    for (let r = 0; r < rounds; r++) {
      const buffer = new EdgeRowsBuffer();
      const pairer = new ServiceGraphPairer(buffer, DEFAULT_SERVICE_GRAPH_OPTIONS, batches[0].atMs);
      made = 0;
      gc?.();
      let t0 = performance.now();
      for (const batch of batches) {
        pairer.add(batch.data, batch.atMs);
        // The recorder takes the rows every few seconds; here every 64 batches.
        if (buffer.rows > 32_768) made += buffer.take().rows;
      }
      pairer.flush();
      made += buffer.take().rows;
      pairNs.push(((performance.now() - t0) * 1e6) / spans);
      t0 = performance.now();
      for (const batch of batches) encodeSpanRows(batch.data);
      encodeNs.push(((performance.now() - t0) * 1e6) / spans);
    }
    // Memory held per waiting span: everything held, with a wait longer than the run.
    {
      const pairer = new ServiceGraphPairer(new EdgeRowsBuffer(), { waitMs: 1e12, maxItems: 1e9 }, 0);
      const sample = batches.slice(0, Math.min(batches.length, 400));
      gc?.();
      const before = process.memoryUsage().heapUsed;
      for (const batch of sample) pairer.add(batch.data, 0);
      gc?.();
      const held = process.memoryUsage().heapUsed - before;
      items = pairer.stats().items;
      rows.push([
        workload,
        perService ? 'per service' : 'one batch',
        formatInteger(spans),
        formatFixed(median(pairNs) / 1000, 2),
        formatFixed(median(encodeNs) / 1000, 2),
        formatFixed(made / spans, 3),
        gc ? formatInteger(Math.round(held / items)) : 'n/a',
      ]);
    }
  }
process.stdout.write(
  renderTable(
    'Service graph pairing on the store path (main thread)',
    [
      'workload',
      'batches',
      'spans',
      'pairing µs/span',
      'encodeSpanRows µs/span',
      'rows/span',
      'bytes/held item',
    ],
    rows,
    [
      `median of ${rounds} rounds; default options (wait ${DEFAULT_SERVICE_GRAPH_OPTIONS.waitMs / 1000} s, max items ${formatInteger(DEFAULT_SERVICE_GRAPH_OPTIONS.maxItems)}); simulated clock: the batches span one hour`,
      'bytes/held item: heap growth after GC while every span of 400 batches waits, over the items held (a span waiting as parent and child counts twice)',
    ],
  ),
);
