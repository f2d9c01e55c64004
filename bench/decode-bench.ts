import { cpus } from 'node:os';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { encodeExportTraceServiceRequestJson } from '../src/otlp/json/encode-traces-json.js';
import { decodeExportTraceServiceRequest } from '../src/otlp/protobuf/decode-traces.js';
import { countProtobufjsSpans, decodeCases, decodeJsonBody, decodeWithProtobufjs } from './decode-cases.js';
import { makeEncodedBatches } from './encoded-batches.js';
import { machineBusyMs, ownCpuMs } from './machine-load.js';
import type { ThroughputResult } from './throughput.js';
import { measureThroughput } from './throughput.js';
import { formatFixed, formatInteger, renderTable } from './table.js';

/*
 * Decode throughput of one thread: our OTLP protobuf decoder against protobufjs on the same
 * bytes, with our JSON path and encoder for reference. Prints one Markdown table on stdout.
 *
 *   node dist/bench/decode-bench.js [--quick] [--only ours,verbatim,scan,protobufjs,json,encode]
 *
 * `--only ours` with `node --cpu-prof` profiles a single decoder.
 */
const TARGET_SPANS_PER_SEC = 1_000_000;
const TARGET_RATIO = 3;

const { values: args } = parseArgs({ options: { quick: { type: 'boolean' }, only: { type: 'string' } } });
const options = args.quick
  ? { warmupMs: 1000, rounds: 3, roundMs: 300 }
  : { warmupMs: 3000, rounds: 9, roundMs: 1000 };

const batches = makeEncodedBatches(16, 512);
const json = batches.models.map((m) => Buffer.from(JSON.stringify(encodeExportTraceServiceRequestJson(m))));
const problems = checkRoundTrips();
const only = args.only?.split(',');
const cases = decodeCases(batches, json).filter((c) => only === undefined || only.includes(c.id));

process.stderr.write(
  `decode-bench: ${cases.length} cases, ${options.rounds} rounds of ${options.roundMs} ms\n`,
);
const busyBefore = machineBusyMs();
const ownBefore = ownCpuMs();
const started = performance.now();
const results = measureThroughput(cases, options);
const otherCores = (machineBusyMs() - busyBefore - (ownCpuMs() - ownBefore)) / (performance.now() - started);
process.stdout.write(render(results));

/** A benchmark of a wrong decoder measures nothing: check every path reproduces the source batches. */
function checkRoundTrips(): string[] {
  const found: string[] = [];
  batches.models.forEach((model, i) => {
    if (!isDeepStrictEqual(decodeExportTraceServiceRequest(batches.protobuf[i]), model))
      found.push(`batch ${i}: protobuf decode(encode(batch)) differs from the batch`);
    if (!isDeepStrictEqual(decodeJsonBody(json[i]), model))
      found.push(`batch ${i}: JSON decode(encode(batch)) differs from the batch`);
    if (countProtobufjsSpans(decodeWithProtobufjs(batches.protobuf[i])) !== batches.spansPerBatch)
      found.push(`batch ${i}: protobufjs found the wrong number of spans`);
  });
  for (const problem of found) process.stderr.write(`decode-bench: ${problem}\n`);
  return found;
}

function render(results: readonly ThroughputResult[]): string {
  const byId = new Map(results.map((r) => [r.id, r]));
  const rows = results.map((r) => [
    r.name,
    formatInteger(r.spansPerSec),
    formatInteger(r.spansPerCpuSec),
    formatFixed(r.mbPerSec, 1),
    `±${formatFixed(r.spread * 50, 1)}%`,
    formatFixed(r.cpuPerWall, 2),
    r.id === 'ours' ? `≥ ${formatInteger(TARGET_SPANS_PER_SEC)}` : '',
    r.id === 'ours' ? verdict(r.spansPerSec >= TARGET_SPANS_PER_SEC) : '',
  ]);
  const ours = byId.get('ours');
  const reference = byId.get('protobufjs');
  if (ours && reference) {
    const ratio = ours.spansPerSec / reference.spansPerSec;
    const cpuRatio = ours.spansPerCpuSec / reference.spansPerCpuSec;
    rows.push([
      'ratio ours / protobufjs',
      `${formatFixed(ratio, 2)}x`,
      `${formatFixed(cpuRatio, 2)}x`,
      '',
      '',
      '',
      `≥ ${TARGET_RATIO}x`,
      verdict(ratio >= TARGET_RATIO),
    ]);
  }
  const avg = (list: readonly Buffer[]): string =>
    formatInteger(list.reduce((n, b) => n + b.length, 0) / list.length);
  return renderTable(
    'Decode throughput, one thread',
    ['case', 'spans/s (median)', 'spans/CPU-s', 'MB/s', 'spread', 'CPU/wall', 'target', 'met'],
    rows,
    [
      `${batches.protobuf.length} distinct batches of ${batches.spansPerBatch} spans (seeds 1–${batches.protobuf.length}), cycled; ` +
        `${avg(batches.protobuf)} B protobuf / ${avg(json)} B JSON per batch on average`,
      `${options.rounds} interleaved rounds of ≥ ${options.roundMs} ms after ${options.warmupMs} ms warm-up; median shown, spread = ±half the min–max range`,
      "spans/s is per second of wall time (the figure the targets are about); spans/CPU-s per second of this process's CPU time, which other load on the machine disturbs less",
      'MB = 10^6 bytes of the input (JSON text for the JSON row, protobuf output for encode); CPU/wall > 1 means GC helper threads ran on another core',
      `${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} CPUs visible; ` +
        `other processes kept ${formatFixed(Math.max(0, otherCores), 2)} cores busy on average during the measurement`,
      ...(problems.length > 0
        ? [`ROUND-TRIP PROBLEMS: ${problems.join('; ')}`]
        : ['every path round-trips all batches exactly']),
    ],
  );
}

function verdict(met: boolean): string {
  return met ? 'yes' : 'NO';
}
