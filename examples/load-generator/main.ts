import { describeSummary, runLoad } from './load-generator.js';
import type { LoadSummary } from './load-generator.js';
import { onStop } from '../shared/on-stop.js';

/**
 * The load generator as a process. Environment:
 * - `LOAD_TARGET` — the reservations-service (default `http://localhost:8081`);
 * - `LOAD_RATE` — requests per second (default 2);
 * - `LOAD_COUNT` — stop after this many requests (default: run until stopped);
 * - `LOAD_DURATION_S` — stop after this many seconds (default: run until stopped);
 * - `LOAD_REPORT_S` — seconds between progress lines (default 5).
 * SIGINT/SIGTERM stop it; the answers still due are waited for, then the totals printed.
 */
function numberFromEnv(name: string, fallback: number | undefined): number | undefined {
  const raw = process.env[name]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}="${raw}": expected a positive number`);
  return n;
}

const target = process.env.LOAD_TARGET?.trim() || 'http://localhost:8081';
const rate = numberFromEnv('LOAD_RATE', 2) ?? 2;
const count = numberFromEnv('LOAD_COUNT', undefined);
const durationS = numberFromEnv('LOAD_DURATION_S', undefined);
const reportMs = (numberFromEnv('LOAD_REPORT_S', 5) ?? 5) * 1000;

const stop = new AbortController();
onStop(() => stop.abort());

console.log(`load-generator: ${rate} reservations/s to ${target}`);
let latest: LoadSummary = { sent: 0, outcomes: {} };
const progress = setInterval(() => console.log(`load-generator: ${describeSummary(latest)}`), reportMs);
const summary = await runLoad({
  target,
  ratePerSecond: rate,
  count,
  durationMs: durationS === undefined ? undefined : durationS * 1000,
  signal: stop.signal,
  onResult: (_result, running) => (latest = running),
});
clearInterval(progress);
console.log(`load-generator: done, ${describeSummary(summary)}`);
