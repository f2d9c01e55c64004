import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runScript } from './run-script.js';
import type { StoreBytesResult, StoreIngestResult, StoreTraceByIdResult } from './store-messages.js';
import { formatFixed, formatInteger, formatMiB, formatPercent, renderTable } from './table.js';

/*
 * Storage benchmarks, each scenario in a fresh process (chdb allows one data folder per process):
 * sustained ingest through the write-ahead log (store-ingest-server.ts), bytes on disk per span
 * and trace-by-id latency (store-scenario.ts). Prints Markdown tables on stdout.
 *
 *   node dist/bench/store-bench.js [--quick] [--spans 10000000] [--duration-ms 20000]
 */
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean' },
    spans: { type: 'string' },
    'duration-ms': { type: 'string' },
  },
});
const quick = args.quick === true;
const traceSpans = args.spans ?? (quick ? '100000' : '2000000');
const bytesSpans = quick ? '50000' : '1000000';
const durationMs = args['duration-ms'] ?? (quick ? '5000' : '20000');
const script = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
const notes: string[] = [];

async function run<T>(name: string, argv: string[], timeoutMs: number): Promise<T | undefined> {
  process.stderr.write(`store-bench: ${name}\n`);
  const result = await runScript([process.execPath, ...argv], timeoutMs);
  const message = result.messages[0] as T | undefined; // sent by the scenario script
  if (!message) notes.push(`${name}: no result (${result.timedOut ? 'timed out' : `exit ${result.code}`})`);
  return message;
}

const ingest = await run<StoreIngestResult>(
  'ingest',
  [script('./store-ingest-server.js'), `--duration-ms=${durationMs}`, `--warmup-ms=${quick ? 1000 : 3000}`],
  Number(durationMs) + 10 * 60_000,
);
const bytes: StoreBytesResult[] = [];
for (const workload of ['example', 'synthetic']) {
  const r = await run<StoreBytesResult>(
    `bytes ${workload}`,
    [script('./store-scenario.js'), '--scenario=bytes', `--workload=${workload}`, `--spans=${bytesSpans}`],
    20 * 60_000,
  );
  if (r) bytes.push(r);
}
const byId = await run<StoreTraceByIdResult>(
  'trace-by-id',
  [
    script('./store-scenario.js'),
    '--scenario=trace-by-id',
    `--spans=${traceSpans}`,
    `--queries=${quick ? 40 : 200}`,
  ],
  60 * 60_000,
);

const out: string[] = [];
if (ingest) {
  const c = ingest.cpu;
  const core = (ms: number): string => formatFixed(ms / ingest.wallMs, 2);
  out.push(
    renderTable(
      'Sustained ingest into the embedded store through the write-ahead log (OTLP/HTTP protobuf)',
      [
        'in flight',
        'acked spans/s',
        'stored spans/s',
        'stored incl. catch-up',
        'catch-up s',
        'max backlog spans',
        'stored = accepted',
        'p50 ms',
        'p99 ms',
        'peak RSS',
        'cores main / node helpers / engine',
        'other cores',
        '≥ 150,000',
      ],
      [
        [
          String(ingest.concurrency),
          formatInteger(ingest.ackedSpansPerSec),
          formatInteger(ingest.storedSpansPerSec),
          formatInteger(ingest.storedSpansPerSecWithCatchUp),
          formatFixed(ingest.catchUpMs / 1000, 1),
          formatInteger(ingest.maxBacklogSpans),
          ingest.storedFinal === ingest.acceptedTotal
            ? 'yes'
            : `${ingest.storedFinal} ≠ ${ingest.acceptedTotal}`,
          formatFixed(ingest.latencyP50Ms, 1),
          formatFixed(ingest.latencyP99Ms, 1),
          formatMiB(ingest.peakRssBytes),
          `${core(c.mainMs)} / ${core(c.nodeHelpersMs)} / ${core(c.engineMs + c.exitedMs)}`,
          formatFixed(ingest.otherCores, 2),
          Math.min(ingest.ackedSpansPerSec, ingest.storedSpansPerSecWithCatchUp) >= 150_000 ? 'yes' : 'NO',
        ],
      ],
      [
        `${formatInteger(Number(durationMs))} ms measured after warm-up; realistic 512-span batches, span times "now"; ` +
          `${formatInteger(ingest.acceptedTotal)} spans accepted in all, ${formatInteger(ingest.storedFinal)} stored`,
        'stored spans/s: count() in otel_traces at the start and end of the measured phase; incl. catch-up: until the log was drained',
        `engine's share of the server's CPU: ${formatPercent((c.engineMs + c.exitedMs) / c.totalMs)} in ClickHouse's threads, ` +
          `${formatPercent(c.nodeHelpersMs / c.totalMs)} in Node's helper threads (GC, libuv pool where chdb's calls run), ` +
          `${formatPercent(c.mainMs / c.totalMs)} on the main thread; inserts timed: ${ingest.inserts}, ` +
          `wall share ${formatPercent(ingest.insertWallShare)}`,
        `VmHWM ${formatMiB(ingest.vmHwmBytes)}; bytes on disk per span before merges ${formatFixed(ingest.bytesPerSpanOnDisk, 1)}`,
        ...(ingest.firstError ? [`first error: ${ingest.firstError}`] : []),
      ],
    ),
  );
}
if (bytes.length > 0) {
  out.push(
    renderTable(
      'Bytes on disk per span after OPTIMIZE … FINAL',
      [
        'workload',
        'spans',
        'attrs/span',
        'B/span otel_traces',
        'of which skip indexes',
        'of which Tracehouse columns',
        '+ lookup table',
        '+ trace spans table',
        'all tables',
        '≤ 40',
      ],
      bytes.map((b) => [
        b.workload,
        formatInteger(b.spans),
        formatFixed(b.attributesPerSpan, 1),
        formatFixed(b.tableBytes / b.spans, 1),
        formatFixed(b.skipIndexBytes / b.spans, 1),
        formatFixed(b.tracehouseColumnsBytes / b.spans, 2),
        formatFixed(b.lookupBytes / b.spans, 1),
        formatFixed(b.traceSpansBytes / b.spans, 1),
        formatFixed((b.tableBytes + b.lookupBytes + b.traceSpansBytes) / b.spans, 1),
        (b.tableBytes + b.lookupBytes + b.traceSpansBytes) / b.spans <= 40 ? 'yes' : 'NO',
      ]),
    ),
  );
  for (const b of bytes)
    out.push(
      renderTable(
        `Top columns, ${b.workload} workload (compressed bytes per span)`,
        ['column', 'B/span', 'uncompressed B/span'],
        b.columns
          .slice(0, 14)
          .map((c) => [
            c.name,
            formatFixed(c.compressed / b.spans, 2),
            formatFixed(c.uncompressed / b.spans, 1),
          ]),
      ),
    );
}
if (byId) {
  out.push(
    renderTable(
      `Trace by id, ${formatInteger(byId.spans)} spans stored`,
      ['query', 'queries', 'p50 ms', 'p99 ms', 'max ms', 'p50 ≤ 20 / p99 ≤ 100'],
      [
        [
          'getTrace(tenant, id)',
          String(byId.queries),
          formatFixed(byId.p50Ms, 1),
          formatFixed(byId.p99Ms, 1),
          formatFixed(byId.maxMs, 1),
          byId.p50Ms <= 20 && byId.p99Ms <= 100 ? 'yes' : 'NO',
        ],
        [
          'getTrace(tenant, id, 1-hour range)',
          String(byId.queries),
          formatFixed(byId.rangeP50Ms, 1),
          formatFixed(byId.rangeP99Ms, 1),
          formatFixed(byId.rangeMaxMs, 1),
          byId.rangeP50Ms <= 20 && byId.rangeP99Ms <= 100 ? 'yes' : 'NO',
        ],
      ],
      [
        `${formatInteger(byId.traces)} traces, ${byId.parts} active parts after OPTIMIZE FINAL (${formatFixed(byId.optimizeMs / 1000, 1)} s); ` +
          `loaded at ${formatInteger(byId.loadSpansPerSec)} spans/s; ${formatFixed(byId.spansPerTrace, 1)} spans per trace returned, ${byId.wrong} wrong`,
        `without a range: lookup query p50 ${formatFixed(byId.lookupP50Ms, 1)} ms, spans query p50 ${formatFixed(byId.spansQueryP50Ms, 1)} / p99 ${formatFixed(byId.spansQueryP99Ms, 1)} ms`,
        `peak RSS ${formatMiB(byId.peakRssBytes)}`,
      ],
    ),
  );
}
out.push(...notes.map((n) => `- ${n}\n`));
process.stdout.write(out.join('\n'));
process.exitCode = notes.length > 0 ? 1 : 0;
