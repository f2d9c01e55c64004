import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeSpanRows } from '../src/store/rows/encode-span-rows.js';
import { encodeTraceSpanRows } from '../src/store/rows/encode-trace-span-rows.js';
import type { EngineInsertResult } from './engine-insert-case.js';
import { ENGINE_INSERT_CASES, FLUSH_ROWS } from './engine-insert-cases.js';
import { runScript } from './run-script.js';
import { SPANS_PER_BATCH, workloadBatch } from './store-workloads.js';
import { renderTable } from './table.js';

/*
 * The embedded engine's insert rate by insert shape (issue 3): synthetic spans (~10 attributes,
 * bench/realistic-batch.ts) encoded once into Native chunks of one flush each (18,432 spans), then
 * every case of engine-insert-cases.ts in its own process on a fresh data folder, inserting all
 * the chunks with the case's format, views, insert size and settings.
 *
 * Rounds run every selected case once, then again (interleaved), for a shared machine.
 *
 *   node dist/bench/engine-insert-probe.js [--chunks 57] [--only REGEXP] [--rounds 1]
 */
const { values: args } = parseArgs({
  options: {
    // 57 chunks of 18,432: 1,050,624 spans.
    chunks: { type: 'string', default: '57' },
    // A regular expression the case names must match.
    only: { type: 'string' },
    rounds: { type: 'string', default: '1' },
  },
});
const chunkCount = Number(args.chunks);
const chunkDir = await mkdtemp(join(tmpdir(), 'tracehouse-engine-chunks-'));
try {
  const batchesPerChunk = FLUSH_ROWS / SPANS_PER_BATCH;
  const batches = chunkCount * batchesPerChunk;
  const endNanos = BigInt(Date.now()) * 1_000_000n - 2_000_000_000n;
  const windowNanos = 3600n * 1_000_000_000n;
  const perBatchNanos = windowNanos / BigInt(batches);
  for (let c = 0; c < chunkCount; c++) {
    const blocks: Buffer[] = [];
    const copies: Buffer[] = [];
    for (let b = c * batchesPerChunk; b < (c + 1) * batchesPerChunk; b++) {
      const base = endNanos - windowNanos + BigInt(b) * perBatchNanos;
      const batch = workloadBatch('synthetic', b, base, perBatchNanos / 64n);
      blocks.push(encodeSpanRows(batch));
      copies.push(encodeTraceSpanRows(batch));
    }
    await writeFile(join(chunkDir, `chunk-${c}.native`), Buffer.concat(blocks));
    await writeFile(join(chunkDir, `chunk-${c}.proto-copy`), Buffer.concat(copies));
  }
  process.stderr.write(`${chunkCount * FLUSH_ROWS} spans encoded in ${chunkCount} chunks\n`);

  const caseScript = join(fileURLToPath(new URL('.', import.meta.url)), 'engine-insert-case.js');
  const rows: string[][] = [];
  const only = new RegExp(args.only ?? '');
  const selected = ENGINE_INSERT_CASES.filter((c) => only.test(c.name));
  for (let round = 0; round < Number(args.rounds); round++)
    for (const testCase of selected) {
      const load = loadavg()[0];
      const run = await runScript(
        [
          process.execPath,
          caseScript,
          '--case',
          JSON.stringify(testCase),
          '--chunks',
          chunkDir,
          '--count',
          String(chunkCount),
        ],
        600_000,
      );
      const line = run.stdout.trim().split('\n').pop() ?? '';
      if (run.code !== 0 || !line.startsWith('{')) {
        rows.push([testCase.name, 'failed', '', '', '', '', '', '', '', '']);
        continue;
      }
      const r = JSON.parse(line) as EngineInsertResult;
      const b = r.bytes;
      rows.push([
        r.name,
        r.spans.toLocaleString('en-US'),
        String(r.inserts),
        (r.wallMs / 1000).toFixed(1),
        Math.round(r.spans / (r.wallMs / 1000)).toLocaleString('en-US'),
        ((r.cpuMs * 1000) / r.spans).toFixed(1),
        String(r.parts),
        (((r.cpuMs + r.settleCpuMs) * 1000) / r.spans).toFixed(1),
        `${load.toFixed(1)} / ${r.otherCores.toFixed(2)}`,
        b
          ? `${b.onDisk.toFixed(1)} (data ${b.data.toFixed(1)}, collector cols ${b.collectorColumns.toFixed(1)}, ` +
            `idx ${b.skipIndexes.toFixed(1)}, marks ${b.marks.toFixed(2)}; lookup ${b.lookupOnDisk.toFixed(1)}, ` +
            `copy ${b.traceSpansOnDisk.toFixed(1)})`
          : '',
      ]);
      process.stderr.write(`${rows[rows.length - 1].join(' | ')}\n`);
      if (b) process.stderr.write(`skip indexes, B/span: ${JSON.stringify(b.byIndex)}\n`);
      if (r.engine)
        process.stderr.write(`engine ${JSON.stringify({ name: r.name, spans: r.spans, ...r.engine })}\n`);
    }
  process.stdout.write(
    renderTable(
      'Embedded engine insert rate by insert shape (synthetic spans)',
      [
        'case',
        'spans',
        'inserts',
        'wall s',
        'spans/s',
        'CPU µs/span',
        'parts after',
        'CPU µs/span incl. OPTIMIZE FINAL',
        'load 1m / other cores',
        'B/span after OPTIMIZE FINAL of otel_traces',
      ],
      rows,
      [
        'CPU: the case process (Node and ClickHouse threads) during the inserts; other cores: the rest of the machine meanwhile.',
        'incl. OPTIMIZE FINAL: plus the CPU to merge each table to one part afterwards (merges still owed).',
        "exporter tables only: the collector exporter's otel_traces (no Tracehouse columns), lookup table and view, nothing else.",
      ],
    ),
  );
} finally {
  await rm(chunkDir, { recursive: true, force: true });
}
