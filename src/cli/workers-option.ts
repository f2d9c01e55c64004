import { availableParallelism } from 'node:os';
import type { OptionSpec } from './start-options.js';
import { UsageError } from './usage-error.js';

/** Threads beyond this would only queue behind each other on any machine we run on. */
const MAX_WORKERS = 64;

/**
 * `--workers`, shared by `tracehouse start` and `tracehouse collector`: a Tracehouse setting,
 * since the Collector's YAML has no such key (the Go Collector uses every core by itself).
 *
 * Off by default: a worker must decode each request and encode its result, which costs about
 * three times what attributes + redaction cost, so on 2 cores shared with the senders the
 * processors row fell from 66–80k to 58–62k spans/s (bench/RESULTS.md, 2026-11-26 11:34). It
 * pays where cores are spare and the processors are heavy; `auto` is for that.
 */
export const WORKERS_OPTION = {
  flag: 'workers',
  env: 'TRACEHOUSE_WORKERS',
  default: '0',
  help: "worker threads that run each pipeline's consecutive stateless processors (attributes, resource, redaction, filter, probabilistic_sampler, span, transform), N for each such run: a number, or auto (one less than the cores, at most 64); 0 runs everything on the main thread",
} satisfies OptionSpec;

/** The flag's value, else the variable's, else 0, as a thread count; one-line UsageError on a bad value. */
export function resolveWorkerCount(
  flag: string | undefined,
  env: NodeJS.ProcessEnv,
  cores: number = availableParallelism(),
): number {
  const fromEnv = env[WORKERS_OPTION.env];
  const [text, where] =
    flag !== undefined
      ? [flag, `--${WORKERS_OPTION.flag}`]
      : fromEnv !== undefined
        ? [fromEnv, WORKERS_OPTION.env]
        : [WORKERS_OPTION.default, `--${WORKERS_OPTION.flag}`];
  const trimmed = text.trim();
  // The main thread keeps a core: it receives, scans and runs batch, tail_sampling and the exporters.
  // Capped as a count is: a 128-core host would otherwise start 127 threads per segment.
  if (trimmed === 'auto') return Math.min(MAX_WORKERS, Math.max(0, cores - 1));
  if (/^\d+$/.test(trimmed) && Number(trimmed) <= MAX_WORKERS) return Number(trimmed);
  throw new UsageError(
    `${where}: "${text}" is not a number of worker threads: use 0 to ${MAX_WORKERS}, or auto`,
  );
}
