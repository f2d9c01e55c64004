import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { QueryBenchResult } from './query-bench-scenario.js';
import { runScript } from './run-script.js';
import { formatFixed, formatInteger, renderTable } from './table.js';

/*
 * Query-layer benchmarks (src/query): services, attribute keys, tag values, service graph, RED
 * figures and trace statistics over N stored example-system spans, each size in a fresh process
 * (query-bench-scenario.ts). Prints Markdown tables on stdout.
 *
 *   node dist/bench/query-bench.js [--quick] [--spans 1000000,10000000]
 */
const { values: args } = parseArgs({
  options: { quick: { type: 'boolean' }, spans: { type: 'string' } },
});
const sizes = (args.spans ?? (args.quick === true ? '100000' : '1000000')).split(',').map(Number);
const script = fileURLToPath(new URL('./query-bench-scenario.js', import.meta.url));

const out: string[] = [];
let failed = false;
for (const spans of sizes) {
  process.stderr.write(`query-bench: ${spans} spans\n`);
  const run = await runScript([process.execPath, script, `--spans=${spans}`], 2 * 60 * 60_000);
  const result = run.messages[0] as QueryBenchResult | undefined; // sent by the scenario script
  if (!result) {
    failed = true;
    out.push(`- ${spans} spans: no result (${run.timedOut ? 'timed out' : `exit ${run.code}`})\n`);
    continue;
  }
  out.push(
    renderTable(
      `Query layer on ${formatInteger(result.spans)} example-system spans over one hour`,
      ['query', 'median ms', 'min ms', 'max ms', 'CPU ms', 'answer'],
      result.timings.map((t) => [
        t.name,
        formatFixed(t.medianMs, 1),
        formatFixed(t.minMs, 1),
        formatFixed(t.maxMs, 1),
        formatFixed(t.cpuMs, 0),
        t.answer,
      ]),
      [
        `${result.parts} active parts (not merged by hand); range = the whole hour; embedded engine; ` +
          `loaded in ${formatFixed(result.loadSeconds, 0)} s`,
        `service graph edges table: ${formatInteger(result.edgeRows)} rows, ` +
          `${formatFixed(result.edgeBytes / Math.max(1, result.edgeRows), 1)} bytes a row compressed (filled by one join at set-up, untimed)`,
        'attribute keys and tag values read at most ~1,000,000 rows (one granule in k, scan-sample.ts)',
        'CPU ms: median CPU time of the process (all engine threads) per run; an idle machine with c cores needs at least CPU / c',
      ],
    ),
  );
}
process.stdout.write(out.join('\n'));
process.exitCode = failed ? 1 : 0;
