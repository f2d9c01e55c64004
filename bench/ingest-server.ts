import { fork } from 'node:child_process';
import { parseArgs } from 'node:util';
import { startAllInOne } from '../src/app/all-in-one.js';
import { loopbackAllInOneConfig } from '../src/app/loopback-config.js';
import { NopExporter } from '../src/exporters/nop/nop-exporter.js';
import type { TracesExporter } from '../src/exporters/traces-exporter.js';
import { silentLogger } from '../src/logging/logger.js';
import type {
  GeneratorMessage,
  IngestSink,
  LoadOptions,
  LoadProtocol,
  LoadReport,
  ScenarioResult,
} from './ingest-messages.js';
import { machineBusyMs, ownCpuMs } from './machine-load.js';
import { RssSampler, vmHwmBytes } from './rss-sampler.js';

/*
 * One ingest scenario, in its own process so its RSS is its own: starts the all-in-one app here
 * (every listener on 127.0.0.1, port 0) with a NopExporter, forks the load generator against one
 * receiver, and measures this process while the generator's measured phase runs. Sends a
 * ScenarioResult to the parent over IPC, or prints it as JSON when run by hand:
 *
 *   node dist/bench/ingest-server.js --protocol grpc --concurrency 4 [--sink model|bytes] [--duration-ms 10000]
 */
const { values: args } = parseArgs({
  options: {
    protocol: { type: 'string', default: 'grpc' },
    concurrency: { type: 'string', default: '4' },
    sink: { type: 'string', default: 'model' },
    'warmup-ms': { type: 'string', default: '2000' },
    'duration-ms': { type: 'string', default: '10000' },
    'max-requests': { type: 'string', default: '200000' },
  },
});
if (args.protocol !== 'grpc' && args.protocol !== 'http')
  throw new Error(`--protocol: expected grpc or http, got ${args.protocol}`);
const protocol: LoadProtocol = args.protocol;
if (args.sink !== 'model' && args.sink !== 'bytes')
  throw new Error(`--sink: expected model or bytes, got ${args.sink}`);
const sink: IngestSink = args.sink;

const exporter = new NopExporter();
// `model` measures ingest as `tracehouse start` does it, decoding into the model (its store
// exporter needs spans): the NopExporter is offered models only. Bare (`bytes`), it takes
// undecoded requests (TracesConsumer.consumeTraceBytes) and the receivers only scan them.
const modelsOnly: TracesExporter = {
  component: exporter.component,
  start: () => exporter.start(),
  shutdown: () => exporter.shutdown(),
  consumeTraces: (data) => exporter.consumeTraces(data),
};
const sinkExporter = sink === 'model' ? modelsOnly : exporter;
const running = await startAllInOne(loopbackAllInOneConfig(), [sinkExporter], silentLogger());
try {
  const receiver = running.receivers.find(
    (r) => r.component === (protocol === 'grpc' ? 'otlp-grpc' : 'otlp-http'),
  );
  if (!receiver) throw new Error(`no ${protocol} receiver in the all-in-one app`);
  const result = await measure({
    protocol,
    target: receiver.address(),
    concurrency: Number(args.concurrency),
    warmupMs: Number(args['warmup-ms']),
    durationMs: Number(args['duration-ms']),
    maxRequests: Number(args['max-requests']),
    batches: 16,
    spansPerBatch: 512,
  });
  if (process.send) process.send(result);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
} finally {
  await running.shutdown();
}

/** What the server reads at the start and at the end of the measured phase. */
interface Counters {
  spans: number;
  cpuMs: number;
  busyMs: number;
  at: number;
}

function readCounters(): Counters {
  return { spans: exporter.spans, cpuMs: ownCpuMs(), busyMs: machineBusyMs(), at: performance.now() };
}

/** Runs the generator; reads the counters when it reports `warmed` and again at `done`. */
function measure(options: LoadOptions): Promise<ScenarioResult> {
  const child = fork(new URL('./load-generator.js', import.meta.url), [JSON.stringify(options)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // Not this process's flags: `node --cpu-prof ingest-server.js` profiles the server alone.
    execArgv: [],
  });
  const sampler = new RssSampler(100);
  let before = readCounters();
  let result: ScenarioResult | undefined;
  let failure = '';
  return new Promise((resolve, reject) => {
    const watchdog = setTimeout(() => child.kill('SIGKILL'), options.warmupMs + options.durationMs + 60_000);
    child.on('message', (raw) => {
      const message = raw as GeneratorMessage; // sent by load-generator.ts
      if (message.type === 'warmed') {
        before = readCounters();
        sampler.start();
        child.send({ type: 'go' });
      } else if (message.type === 'done') {
        result = toResult(options, message.report, before, readCounters(), sampler.stop().peakBytes);
      } else failure = message.message;
    });
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      sampler.stop();
      if (result) resolve(result);
      else {
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
): ScenarioResult {
  const serverSpans = after.spans - before.spans;
  const wallMs = after.at - before.at;
  const serverCpuMs = after.cpuMs - before.cpuMs;
  return {
    protocol: options.protocol,
    concurrency: options.concurrency,
    sink,
    spansPerSec: (serverSpans * 1000) / report.elapsedMs,
    serverSpans,
    clientSpans: report.spansOk,
    requestsOk: report.ok,
    failed: report.failed,
    firstError: report.firstError,
    latencyP50Ms: report.latencyP50Ms,
    latencyP99Ms: report.latencyP99Ms,
    latencyMaxMs: report.latencyMaxMs,
    serverCores: serverCpuMs / wallMs,
    serverCpuUsPerSpan: (serverCpuMs * 1000) / serverSpans,
    clientCores: report.cpuMs / report.elapsedMs,
    otherCores: Math.max(0, (after.busyMs - before.busyMs - serverCpuMs - report.cpuMs) / wallMs),
    serverPeakRssBytes: peakRss,
    serverVmHwmBytes: vmHwmBytes(),
    payloadBytesAvg: report.payloadBytesAvg,
    elapsedMs: report.elapsedMs,
  };
}
