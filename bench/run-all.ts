import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runScript } from './run-script.js';

/*
 * Runs every benchmark in sequence, each in its own child process so that neither RSS nor JIT
 * state carries from one to the next, then prints all their tables. Progress goes to stderr as
 * the benchmarks run. `--quick` is passed on for a short smoke run.
 *
 *   npm run bench            (builds first)
 *   node dist/bench/run-all.js [--quick]
 */
const passOn = process.argv.slice(2).filter((arg) => arg === '--quick');
const script = (name: string): string => fileURLToPath(new URL(name, import.meta.url));
// Decode is measured on one core: taskset pins the whole process, GC helper threads included.
const pinToOneCore = existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '--cpu-list', '0'] : [];

const benchmarks: { name: string; command: string[]; timeoutMs: number }[] = [
  {
    name: 'decode-bench',
    command: [...pinToOneCore, process.execPath, script('./decode-bench.js'), ...passOn],
    timeoutMs: 10 * 60_000,
  },
  {
    name: 'ingest-bench',
    command: [process.execPath, script('./ingest-bench.js'), ...passOn],
    timeoutMs: 15 * 60_000,
  },
  {
    name: 'collector-bench',
    command: [process.execPath, script('./collector-bench.js'), ...passOn],
    timeoutMs: 15 * 60_000,
  },
  {
    name: 'store-bench',
    command: [process.execPath, script('./store-bench.js'), ...passOn],
    timeoutMs: 60 * 60_000,
  },
  {
    name: 'store-replay-bench',
    command: [process.execPath, script('./store-replay-bench.js'), ...passOn],
    timeoutMs: 15 * 60_000,
  },
  {
    name: 'store-visibility',
    command: [process.execPath, script('./store-visibility.js'), ...passOn],
    timeoutMs: 15 * 60_000,
  },
  {
    name: 'service-graph-pairing-bench',
    // --expose-gc: the bench measures the heap a waiting span holds.
    command: [process.execPath, '--expose-gc', script('./service-graph-pairing-bench.js'), ...passOn],
    timeoutMs: 15 * 60_000,
  },
  {
    name: 'query-engine-bench',
    command: [process.execPath, script('./query-engine-bench.js'), ...passOn],
    timeoutMs: 60 * 60_000,
  },
  {
    name: 'query-bench',
    command: [process.execPath, script('./query-bench.js'), ...passOn],
    timeoutMs: 60 * 60_000,
  },
  {
    name: 'api-bench',
    command: [process.execPath, script('./api-bench.js'), ...passOn],
    timeoutMs: 60 * 60_000,
  },
  {
    name: 'ui-bench',
    command: [process.execPath, script('./ui-bench.js'), ...passOn],
    timeoutMs: 15 * 60_000,
  },
];

const tables: string[] = [];
let failed = false;
for (const { name, command, timeoutMs } of benchmarks) {
  process.stderr.write(`run-all: ${name}\n`);
  const run = await runScript(command, timeoutMs);
  tables.push(run.stdout);
  if (run.code !== 0) {
    failed = true;
    tables.push(`(${name} ${run.timedOut ? 'timed out' : `exited with ${run.code ?? run.signal}`})\n`);
  }
}
process.stdout.write(`\n${tables.join('\n')}`);
process.exitCode = failed ? 1 : 0;
