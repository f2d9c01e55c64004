import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { IngestSink, LoadProtocol, ScenarioResult } from './ingest-messages.js';
import { runScript } from './run-script.js';
import { formatFixed, formatInteger, formatMiB, renderTable } from './table.js';

/*
 * End-to-end ingest: each scenario runs ingest-server.js (the all-in-one app with a NopExporter
 * plus a forked load generator) in a fresh process, one after the other, so peak RSS and JIT
 * state are per scenario. Prints one Markdown table on stdout.
 *
 *   node dist/bench/ingest-bench.js [--quick]
 */
const TARGET_SPANS_PER_SEC = 300_000;
const SCENARIOS: readonly { protocol: LoadProtocol; concurrency: number; sink: IngestSink }[] = [
  { protocol: 'grpc', concurrency: 4, sink: 'model' },
  { protocol: 'grpc', concurrency: 16, sink: 'model' },
  { protocol: 'http', concurrency: 4, sink: 'model' },
  { protocol: 'http', concurrency: 16, sink: 'model' },
  { protocol: 'grpc', concurrency: 4, sink: 'bytes' },
  { protocol: 'grpc', concurrency: 16, sink: 'bytes' },
  { protocol: 'http', concurrency: 16, sink: 'bytes' },
];

const { values: args } = parseArgs({ options: { quick: { type: 'boolean' } } });
const timing = args.quick ? { warmupMs: 1000, durationMs: 3000 } : { warmupMs: 2000, durationMs: 10_000 };
const server = fileURLToPath(new URL('./ingest-server.js', import.meta.url));

const results: ScenarioResult[] = [];
const failures: string[] = [];
for (const { protocol, concurrency, sink } of SCENARIOS) {
  process.stderr.write(
    `ingest-bench: ${protocol} with ${concurrency} in flight into a ${sink} sink for ${timing.durationMs} ms\n`,
  );
  const run = await runScript(
    [
      process.execPath,
      server,
      `--protocol=${protocol}`,
      `--concurrency=${concurrency}`,
      `--sink=${sink}`,
      `--warmup-ms=${timing.warmupMs}`,
      `--duration-ms=${timing.durationMs}`,
    ],
    timing.warmupMs + timing.durationMs + 120_000,
  );
  const result = run.messages[0] as ScenarioResult | undefined; // sent by ingest-server.ts
  if (result) results.push(result);
  else
    failures.push(
      `${protocol} × ${concurrency} → ${sink}: no result (${run.timedOut ? 'timed out' : `exit ${run.code}`})`,
    );
}
process.stdout.write(render());

function render(): string {
  const rows = results.map((r) => [
    r.protocol === 'grpc' ? 'OTLP/gRPC' : 'OTLP/HTTP protobuf',
    String(r.concurrency),
    r.sink === 'model' ? 'decoded' : 'scanned',
    formatInteger(r.spansPerSec),
    r.serverSpans === r.clientSpans ? 'equal' : `server ${r.serverSpans} ≠ client ${r.clientSpans}`,
    `${formatInteger(r.requestsOk)} / ${formatInteger(r.failed)}`,
    formatFixed(r.latencyP50Ms, 1),
    formatFixed(r.latencyP99Ms, 1),
    formatMiB(r.serverPeakRssBytes),
    formatMiB(r.serverVmHwmBytes),
    `${formatFixed(r.serverCores, 2)} / ${formatFixed(r.clientCores, 2)} / ${formatFixed(r.otherCores, 2)}`,
    formatFixed(r.serverCpuUsPerSpan, 2),
    r.spansPerSec >= TARGET_SPANS_PER_SEC ? 'yes' : 'NO',
  ]);
  const payload = results[0]?.payloadBytesAvg ?? NaN;
  return renderTable(
    'End-to-end ingest over loopback (server and load generator on the same 2 cores)',
    [
      'protocol',
      'in flight',
      'sink takes',
      'spans/s',
      'server vs client count',
      'requests ok / failed',
      'p50 ms',
      'p99 ms',
      'server peak RSS',
      'server VmHWM',
      'CPU cores server / client / other',
      'server CPU µs/span',
      `≥ ${formatInteger(TARGET_SPANS_PER_SEC)}`,
    ],
    rows,
    [
      `each request: one pre-encoded batch of 512 spans (${formatInteger(payload)} B on average, 16 distinct batches replayed); ` +
        `${timing.warmupMs} ms warm-up, then ${timing.durationMs} ms measured`,
      "sink takes: 'decoded' spans (as `tracehouse start`'s store exporter needs) or the request 'scanned' — " +
        'validated as the decoder would, nothing built — as a collector pipeline that only forwards does',
      'spans/s: spans counted by the NopExporter in the measured phase over the client-measured elapsed time; ' +
        'the client count (OK responses × 512) must be equal',
      'latency: client-side, from the call until the response settled; peak RSS sampled every 100 ms in the measured phase; ' +
        'VmHWM covers the server process from start (warm-up included)',
      "CPU: CPU time over wall time of each process; 'other' is the rest of the machine (other users' work, kernel not charged to us)",
      ...results
        .filter((r) => r.firstError !== '')
        .map((r) => `${r.protocol} × ${r.concurrency} → ${r.sink} first error: ${r.firstError}`),
      ...failures,
    ],
  );
}
