import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { resolveWorkerCount } from '../src/cli/workers-option.js';
import { silentLogger } from '../src/logging/logger.js';
import { buildService } from '../src/pipeline/build-service.js';
import { builtinComponents } from '../src/pipeline/builtin-components.js';
import { parseConfigText } from '../src/pipeline/load-config.js';
import { InflightLimiter } from '../src/receivers/shared/inflight-limiter.js';
import { collectorConfig } from './collector-configs.js';
import type { CollectorResult, CollectorScenario, SinkMessage, SinkRequest } from './collector-messages.js';
import type { GeneratorMessage, LoadOptions, LoadProtocol, LoadReport } from './ingest-messages.js';
import { machineBusyMs, ownCpuMs } from './machine-load.js';
import { RssSampler, vmHwmBytes } from './rss-sampler.js';
import { threadCpu } from './thread-cpu.js';

/*
 * One collector scenario, in its own process so that its RSS and CPU are its own: forks the sink,
 * runs Tracehouse as a collector here (the config of collector-configs.ts, built as `tracehouse
 * collector` builds it), forks the load generator against its OTLP receiver, and measures this
 * process while the generator's measured phase runs. Sends a CollectorResult to the parent, or
 * prints it when run by hand:
 *
 *   node dist/bench/collector-server.js --scenario plain --protocol http --concurrency 16 [--workers N]
 */
const { values: args } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'plain' },
    protocol: { type: 'string', default: 'http' },
    concurrency: { type: 'string', default: '16' },
    'warmup-ms': { type: 'string', default: '2000' },
    'duration-ms': { type: 'string', default: '10000' },
    // As `tracehouse collector --workers`: 0 (every processor on the main thread) unless given; N or auto.
    workers: { type: 'string' },
  },
});
if (args.scenario !== 'plain' && args.scenario !== 'processors' && args.scenario !== 'tail')
  throw new Error(`--scenario: expected plain, processors or tail, got ${args.scenario}`);
if (args.protocol !== 'grpc' && args.protocol !== 'http')
  throw new Error(`--protocol: expected grpc or http, got ${args.protocol}`);
const scenario: CollectorScenario = args.scenario;
const protocol: LoadProtocol = args.protocol;

const sink = fork(new URL('./collector-sink.js', import.meta.url), [], {
  stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  execArgv: [],
});
const sinkAddress = await new Promise<string>((resolve, reject) => {
  sink.once('message', (m) => resolve((m as SinkMessage & { type: 'listening' }).address));
  sink.once('exit', (code) => reject(new Error(`sink exited with ${code}`)));
});
const config = parseConfigText(collectorConfig(scenario, sinkAddress), {}, builtinComponents());
const workers = resolveWorkerCount(args.workers, process.env);
const service = await buildService(config, silentLogger(), {
  limiter: new InflightLimiter(256 << 20),
  processorWorkers: { count: workers },
});
await service.start();
try {
  const receiver = service.receivers.find((r) => r.component === `otlp-${protocol}`);
  if (!receiver) throw new Error(`no otlp-${protocol} receiver`);
  const result = await measure({
    protocol,
    target: receiver.address(),
    concurrency: Number(args.concurrency),
    warmupMs: Number(args['warmup-ms']),
    durationMs: Number(args['duration-ms']),
    maxRequests: 1_000_000,
    batches: 16,
    spansPerBatch: 512,
    // New traces in every request, as real traffic has: tail sampling then buffers and decides
    // every trace instead of forwarding late spans of traces decided in the first cycle.
    freshTraceIds: true,
  });
  if (process.send) process.send(result);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await service.shutdown();
  ask(sink, { type: 'stop' });
}

interface Counters {
  sinkSpans: number;
  sinkCpuMs: number;
  cpuMs: number;
  /** The JavaScript main thread's CPU: with processor workers, the rest of `cpuMs` is theirs (and V8's helpers'). */
  mainThreadCpuMs: number;
  busyMs: number;
  at: number;
}

async function readCounters(): Promise<Counters> {
  const { spans: sinkSpans, cpuMs: sinkCpuMs } = await sinkCount();
  return {
    sinkSpans,
    sinkCpuMs,
    cpuMs: ownCpuMs(),
    mainThreadCpuMs: threadCpu().mainMs,
    busyMs: machineBusyMs(),
    at: performance.now(),
  };
}

function sinkCount(): Promise<{ spans: number; cpuMs: number }> {
  return new Promise((resolve) => {
    sink.once('message', (m) => resolve(m as SinkMessage & { type: 'count' }));
    ask(sink, { type: 'count' });
  });
}

function ask(child: ChildProcess, request: SinkRequest): void {
  if (child.connected) child.send(request);
}

/** Runs the generator; reads the counters when it reports `warmed` and again at `done`. */
function measure(options: LoadOptions): Promise<CollectorResult> {
  const child = fork(new URL('./load-generator.js', import.meta.url), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  const sampler = new RssSampler(100);
  let before: Promise<Counters> | undefined;
  let result: Promise<CollectorResult> | undefined;
  let failure = '';
  return new Promise((resolve, reject) => {
    const watchdog = setTimeout(() => child.kill('SIGKILL'), options.warmupMs + options.durationMs + 60_000);
    child.on('message', (raw) => {
      const message = raw as GeneratorMessage; // sent by load-generator.ts
      if (message.type === 'warmed') {
        before = readCounters().then((counters) => {
          sampler.start();
          child.send({ type: 'go' });
          return counters;
        });
      } else if (message.type === 'done') {
        const report = message.report;
        result = Promise.all([before!, readCounters()]).then(([b, a]) =>
          toResult(options, report, b, a, sampler.stop().peakBytes),
        );
      } else failure = message.message;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (result) result.then(resolve, reject);
      else {
        sampler.stop();
        const why = `${signal ?? `exit ${code}`}${failure ? `: ${failure}` : ''}`;
        reject(new Error(`load generator ended without a report (${why})`));
      }
    });
  });
}

function toResult(
  options: LoadOptions,
  report: LoadReport,
  before: Counters,
  after: Counters,
  peakRss: number,
): CollectorResult {
  const wallMs = after.at - before.at;
  const cpuMs = after.cpuMs - before.cpuMs;
  const sinkSpans = after.sinkSpans - before.sinkSpans;
  const sinkCpuMs = after.sinkCpuMs - before.sinkCpuMs;
  return {
    scenario,
    workers,
    protocol: options.protocol,
    concurrency: options.concurrency,
    spansPerSec: (report.spansOk * 1000) / report.elapsedMs,
    sinkSpansPerSec: (sinkSpans * 1000) / wallMs,
    clientSpans: report.spansOk,
    sinkSpans,
    requestsOk: report.ok,
    failed: report.failed,
    firstError: report.firstError,
    latencyP50Ms: report.latencyP50Ms,
    latencyP99Ms: report.latencyP99Ms,
    collectorCores: cpuMs / wallMs,
    collectorMainThreadCores: (after.mainThreadCpuMs - before.mainThreadCpuMs) / wallMs,
    clientCores: report.cpuMs / report.elapsedMs,
    sinkCores: sinkCpuMs / wallMs,
    otherCores: Math.max(0, (after.busyMs - before.busyMs - cpuMs - sinkCpuMs - report.cpuMs) / wallMs),
    collectorCpuUsPerSpan: (cpuMs * 1000) / report.spansOk,
    collectorPeakRssBytes: peakRss,
    collectorVmHwmBytes: vmHwmBytes(),
    elapsedMs: report.elapsedMs,
  };
}
