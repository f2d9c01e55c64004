import { median, relativeSpread } from './stats.js';

/** One thing to measure: a function over a fixed set of inputs, cycled in order. */
export interface ThroughputCase {
  readonly id: string;
  readonly name: string;
  /** Size of each input (or of each output, for an encoder): the MB/s figure counts these bytes. */
  readonly bytes: readonly number[];
  /** Processes input `i` and returns how many spans it handled (also keeps the result observable). */
  run(i: number): number;
}

export interface ThroughputOptions {
  warmupMs: number;
  rounds: number;
  roundMs: number;
}

export interface ThroughputResult {
  readonly id: string;
  readonly name: string;
  /** Median over rounds, per second of wall time. */
  readonly spansPerSec: number;
  /** Median over rounds, per second of this process's CPU time: less sensitive to other load on the machine. */
  readonly spansPerCpuSec: number;
  /** Median over rounds, in 10^6 bytes per second. */
  readonly mbPerSec: number;
  /** (max − min) / median of the rounds' spans/s. */
  readonly spread: number;
  /** Process CPU time over wall time while this case ran: 1.0 means one core, more means GC helper threads. */
  readonly cpuPerWall: number;
}

interface Round {
  spans: number;
  bytes: number;
  ms: number;
  cpuMs: number;
}

/**
 * Measures the cases in interleaved rounds — round r runs every case once, in an order rotated
 * by r — so that drift (thermal, other tenants, GC debt left by the previous case) falls on all
 * cases alike. A round runs whole cycles over a case's inputs for at least `roundMs`.
 */
export function measureThroughput(
  cases: readonly ThroughputCase[],
  options: ThroughputOptions,
): ThroughputResult[] {
  const warmupEnd = performance.now() + options.warmupMs;
  while (performance.now() < warmupEnd) for (const c of cases) runRound(c, options.roundMs / 4);
  const rounds = cases.map((): Round[] => []);
  for (let r = 0; r < options.rounds; r++) {
    for (let k = 0; k < cases.length; k++) {
      const index = (k + r) % cases.length;
      rounds[index].push(runRound(cases[index], options.roundMs));
    }
  }
  return cases.map((c, index) => summarise(c, rounds[index]));
}

function runRound(c: ThroughputCase, minMs: number): Round {
  const inputs = c.bytes.length;
  let cycleBytes = 0;
  for (const b of c.bytes) cycleBytes += b;
  let spans = 0;
  let bytes = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  let now = start;
  do {
    for (let i = 0; i < inputs; i++) spans += c.run(i);
    bytes += cycleBytes;
    now = performance.now();
  } while (now - start < minMs);
  const cpu = process.cpuUsage(cpuStart);
  return { spans, bytes, ms: now - start, cpuMs: (cpu.user + cpu.system) / 1000 };
}

function summarise(c: ThroughputCase, rounds: readonly Round[]): ThroughputResult {
  const spansPerSec = rounds.map((r) => (r.spans * 1000) / r.ms);
  let ms = 0;
  let cpuMs = 0;
  for (const r of rounds) {
    ms += r.ms;
    cpuMs += r.cpuMs;
  }
  return {
    id: c.id,
    name: c.name,
    spansPerSec: median(spansPerSec),
    spansPerCpuSec: median(rounds.map((r) => (r.spans * 1000) / r.cpuMs)),
    mbPerSec: median(rounds.map((r) => r.bytes / 1000 / r.ms)),
    spread: relativeSpread(spansPerSec),
    cpuPerWall: cpuMs / ms,
  };
}
