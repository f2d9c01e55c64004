import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CollectorResult, CollectorScenario } from './collector-messages.js';
import type { LoadProtocol } from './ingest-messages.js';
import { runScript } from './run-script.js';
import { formatFixed, formatInteger, formatMiB, renderTable } from './table.js';

/*
 * Tracehouse as a collector: OTLP in → processors → `otlp` exporter out to a sink process. Each
 * scenario runs collector-server.js in a fresh process (with its forked load generator and sink),
 * one after the other. Prints one Markdown table on stdout.
 *
 *   node dist/bench/collector-bench.js [--quick]
 */
// `tail` has no target of its own: it is the processors row without the processors that change spans.
const TARGETS: Record<CollectorScenario, number> = { plain: 250_000, processors: 100_000, tail: 100_000 };
const SCENARIOS: readonly { scenario: CollectorScenario; protocol: LoadProtocol; concurrency: number }[] = [
  { scenario: 'plain', protocol: 'http', concurrency: 16 },
  { scenario: 'processors', protocol: 'http', concurrency: 16 },
  { scenario: 'tail', protocol: 'http', concurrency: 16 },
];
const LABEL: Record<CollectorScenario, string> = {
  plain: 'batch',
  processors: 'attributes, redaction, tail_sampling, batch',
  tail: 'tail_sampling, batch',
};

const { values: args } = parseArgs({ options: { quick: { type: 'boolean' } } });
const timing = args.quick ? { warmupMs: 1000, durationMs: 4000 } : { warmupMs: 3000, durationMs: 15_000 };
const server = fileURLToPath(new URL('./collector-server.js', import.meta.url));

const results: CollectorResult[] = [];
const failures: string[] = [];
for (const { scenario, protocol, concurrency } of SCENARIOS) {
  process.stderr.write(`collector-bench: ${scenario} over ${protocol} for ${timing.durationMs} ms\n`);
  const run = await runScript(
    [
      process.execPath,
      server,
      `--scenario=${scenario}`,
      `--protocol=${protocol}`,
      `--concurrency=${concurrency}`,
      `--warmup-ms=${timing.warmupMs}`,
      `--duration-ms=${timing.durationMs}`,
    ],
    timing.warmupMs + timing.durationMs + 120_000,
  );
  const result = run.messages[0] as CollectorResult | undefined; // sent by collector-server.ts
  if (result) results.push(result);
  else failures.push(`${scenario}: no result (${run.timedOut ? 'timed out' : `exit ${run.code}`})`);
}
process.stdout.write(render());

function render(): string {
  const rows = results.map((r) => [
    LABEL[r.scenario],
    r.protocol === 'grpc' ? 'OTLP/gRPC' : 'OTLP/HTTP',
    formatInteger(r.spansPerSec),
    formatInteger(r.sinkSpansPerSec),
    `${formatInteger(r.requestsOk)} / ${formatInteger(r.failed)}`,
    formatFixed(r.latencyP50Ms, 1),
    formatFixed(r.latencyP99Ms, 1),
    formatMiB(r.collectorPeakRssBytes),
    formatMiB(r.collectorVmHwmBytes),
    `${formatFixed(r.collectorCores, 2)} / ${formatFixed(r.clientCores, 2)} / ${formatFixed(r.sinkCores, 2)} / ${formatFixed(r.otherCores, 2)}`,
    formatFixed(r.collectorCpuUsPerSpan, 2),
    `${r.spansPerSec >= TARGETS[r.scenario] ? 'yes' : 'NO'} (≥ ${formatInteger(TARGETS[r.scenario])})`,
  ]);
  return renderTable(
    'Tracehouse as a collector: OTLP in → processors → otlp exporter → sink process (2 cores)',
    [
      'processors',
      'in',
      'spans/s accepted',
      'spans/s at sink',
      'requests ok / failed',
      'p50 ms',
      'p99 ms',
      'collector peak RSS',
      'collector VmHWM',
      'CPU cores collector / client / sink / other',
      'collector CPU µs/span',
      'target met',
    ],
    rows,
    [
      `load: 16 requests in flight, each one pre-encoded batch of 512 realistic spans (16 distinct batches replayed, each send with trace ids of its own); ` +
        `${timing.warmupMs} ms warm-up, then ${timing.durationMs} ms measured`,
      'accepted: spans in requests the collector answered OK, over the client-measured time; at sink: spans the ' +
        'sink process decoded in the same phase (tail_sampling keeps traces with an error, traces over 2 s and 10% of the rest)',
      'exporter: otlp (gRPC), compression none, sending_queue off (back-pressure reaches the client); batch 2048 / 200ms',
      'peak RSS sampled every 100 ms in the measured phase; VmHWM covers the collector process from start',
      "CPU: CPU time over wall time; 'other' is everything else on the machine (other people's work)",
      ...results.filter((r) => r.firstError !== '').map((r) => `${r.scenario} first error: ${r.firstError}`),
      ...failures,
    ],
  );
}
