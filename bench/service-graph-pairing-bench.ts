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
import { threadCpu } from './thread-cpu.js';

/*
 * The cost of service graph pairing on the store path (src/servicegraph): main-thread time per
 * span of ServiceGraphPairer.add with the RowBinary row buffer, next to encodeSpanRows (the
 * store's own per-span work) on the same batches, and the memory a waiting span holds.
 * Batches are made first (untimed); "per service" splits each batch into one batch per service
 * (resource), as separate processes send them, so most pairs meet across batches.
 * `--rate` puts the batches on a simulated clock of that many spans a second instead of one hour,
 * so the generations are as full as at ingest (40,000 spans/s: every generation reaches the
 * `maxItems` cap, as under the ingest bench's load); `--workload` and `--batches` pick one case.
 * CPU columns are the process's and the main thread's CPU time over the timed pairing (with GC).
 *
 *   node --expose-gc dist/bench/service-graph-pairing-bench.js [--quick] [--spans 1000000] [--rounds 5]
 *     [--rate 40000] [--workload example|synthetic] [--batches one|per-service]
 */
const { values: args } = parseArgs({
  options: {
    spans: { type: 'string' },
    rounds: { type: 'string', default: '5' },
    quick: { type: 'boolean' },
    rate: { type: 'string' },
    workload: { type: 'string' },
    batches: { type: 'string' },
  },
});
const totalSpans = Number(args.spans ?? (args.quick === true ? '100000' : '1000000'));
const rounds = Number(args.rounds);
const gc = (globalThis as { gc?: () => void }).gc;
const spansPerSecond = args.rate === undefined ? undefined : Number(args.rate);
const workloads = (
  args.workload === undefined ? ['example', 'synthetic'] : [args.workload]
) as StoreWorkload[];
const batchings = args.batches === undefined ? [false, true] : [args.batches === 'per-service'];

/** Batches over one simulated hour: 10 M spans an hour is ~2,800 a second, the issue's load. */
function makeBatches(workload: StoreWorkload, perService: boolean): { data: TracesData; atMs: number }[] {
  const batches = Math.ceil(totalSpans / SPANS_PER_BATCH);
  const hourNanos =
    spansPerSecond === undefined
      ? 3_600_000_000_000n
      : BigInt(Math.round((batches * SPANS_PER_BATCH * 1e9) / spansPerSecond));
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
for (const workload of workloads)
  for (const perService of batchings) {
    const batches = makeBatches(workload, perService);
    const spans = batches.reduce(
      (n, b) => n + b.data.reduce((m, rs) => m + rs.scopeSpans[0].spans.length, 0),
      0,
    );
    const pairNs: number[] = [];
    const encodeNs: number[] = [];
    const cpuNs: number[] = [];
    const mainCpuNs: number[] = [];
    const prepareNs: number[] = [];
    const addPreparedNs: number[] = [];
    let made = 0;
    let items = 0;
    let earlyExpiries = 0;
    for (let r = 0; r < rounds; r++) {
      const buffer = new EdgeRowsBuffer();
      const pairer = new ServiceGraphPairer(buffer, DEFAULT_SERVICE_GRAPH_OPTIONS, batches[0].atMs);
      made = 0;
      gc?.();
      const cpu0 = process.cpuUsage();
      const main0 = threadCpu().mainMs;
      let t0 = performance.now();
      let prepareMs = 0;
      let addPreparedMs = 0;
      for (const batch of batches) {
        // add() in its two steps, as the store calls them, each timed.
        const t1 = performance.now();
        const prepared = pairer.prepare(batch.data);
        const t2 = performance.now();
        pairer.addPrepared(prepared, batch.atMs);
        prepareMs += t2 - t1;
        addPreparedMs += performance.now() - t2;
        // The recorder takes the rows every few seconds; here every 64 batches.
        if (buffer.rows > 32_768) made += buffer.take().rows;
      }
      earlyExpiries = pairer.stats().earlyExpiries;
      pairer.flush();
      made += buffer.take().rows;
      pairNs.push(((performance.now() - t0) * 1e6) / spans);
      const cpu = process.cpuUsage(cpu0);
      cpuNs.push(((cpu.user + cpu.system) * 1e3) / spans);
      mainCpuNs.push(((threadCpu().mainMs - main0) * 1e6) / spans);
      prepareNs.push((prepareMs * 1e6) / spans);
      addPreparedNs.push((addPreparedMs * 1e6) / spans);
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
        formatFixed(median(cpuNs) / 1000, 2),
        formatFixed(median(mainCpuNs) / 1000, 2),
        formatFixed(median(prepareNs) / 1000, 2),
        formatFixed(median(addPreparedNs) / 1000, 2),
        formatFixed(median(encodeNs) / 1000, 2),
        formatFixed(made / spans, 3),
        formatInteger(earlyExpiries),
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
      'pairing CPU µs/span',
      'main thread CPU µs/span',
      'prepare µs/span',
      'addPrepared µs/span',
      'encodeSpanRows µs/span',
      'rows/span',
      'early expiries',
      'bytes/held item',
    ],
    rows,
    [
      `median of ${rounds} rounds; default options (wait ${DEFAULT_SERVICE_GRAPH_OPTIONS.waitMs / 1000} s, max items ${formatInteger(DEFAULT_SERVICE_GRAPH_OPTIONS.maxItems)}); simulated clock: ${spansPerSecond === undefined ? 'the batches span one hour' : `${formatInteger(spansPerSecond)} spans/s`}`,
      'bytes/held item: heap growth after GC while every span of 400 batches waits, over the items held (a span waiting as parent and child counts twice)',
    ],
  ),
);
