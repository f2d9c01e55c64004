import { fork } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { writeHeapSnapshot } from 'node:v8';
import { startAllInOne } from '../src/app/all-in-one.js';
import type { NativeRows } from '../src/store/driver/clickhouse-driver.js';
import { loopbackAllInOneConfig } from '../src/app/loopback-config.js';
import { openEmbeddedStore } from '../src/app/open-embedded-store.js';
import { countSpans } from '../src/model/factories.js';
import { DEFAULT_TENANT } from '../src/model/tenant.js';
import { silentLogger } from '../src/logging/logger.js';
import type { GeneratorMessage, LoadOptions, LoadReport } from './ingest-messages.js';
import { machineBusyMs } from './machine-load.js';
import { MemoryTimeline } from './memory-timeline.js';
import { RssSampler, vmHwmBytes } from './rss-sampler.js';
import { quantile } from './stats.js';
import type { StoreIngestResult } from './store-messages.js';
import { threadCpu, threadCpuDelta } from './thread-cpu.js';

/*
 * Sustained ingest into the embedded store through the write-ahead log, in its own process (chdb
 * allows one data folder per process; RSS is this process's own): the all-in-one app with the
 * store exporter on a fresh temporary data folder (removed at the end), every listener on
 * 127.0.0.1, and the forked load generator sending realistic 512-span batches over OTLP/HTTP
 * protobuf with span times of "now" and new trace ids in every request. The store is measured
 * from outside (src/ is not changed): `store.insertSpanRows`, `store.insertTraceSpanRows` and
 * `exporter.consumeTraces` are wrapped on the instances.
 *
 *   node dist/bench/store-ingest-server.js [--concurrency 16] [--duration-ms 20000] [--memory-log FILE]
 *     [--refused-backoff-ms 1000]
 *     [--replayed-trace-ids] [--heap-snapshot FILE [--heap-snapshot-after-ms 5000]]
 *
 * Node flags go before the script (`node --trace-gc-nvp dist/bench/...`); the load generator is
 * forked without them.
 */
const { values: args } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '16' },
    'warmup-ms': { type: 'string', default: '3000' },
    'duration-ms': { type: 'string', default: '20000' },
    'max-requests': { type: 'string', default: '400000' },
    // A sender that waits this long after a refusal, as the OpenTelemetry SDKs back off; 0 sends
    // again at once, which makes a full log refuse (and decode) many times what it takes.
    'refused-backoff-ms': { type: 'string', default: '0' },
    // A file to write a memory sample to every 500 ms (memory-timeline.ts): where the RSS goes.
    'memory-log': { type: 'string' },
    // Send the 16 batches with their own ids every cycle, as runs before 2026-11-26 09:30 did.
    'replayed-trace-ids': { type: 'boolean', default: false },
    // Write a heap snapshot to this file this long into the measured phase (what stays reachable
    // under load, and what holds it).
    'heap-snapshot': { type: 'string' },
    'heap-snapshot-after-ms': { type: 'string', default: '5000' },
    // `off`: the store writes otel_traces only (`tracehouse start --trace-copy off`).
    'trace-copy': { type: 'string', default: 'on' },
    // `text`: otel_traces gets the exporter's text skip indexes (`tracehouse start --skip-indexes`).
    'skip-indexes': { type: 'string', default: 'bloom_filter' },
  },
});
const tenant = DEFAULT_TENANT;
const dataDir = await mkdtemp(join(tmpdir(), 'tracehouse-store-ingest-'));
try {
  const opened = await openEmbeddedStore(
    {
      dataDir,
      retentionSeconds: 7 * 86_400,
      walMaxBytes: 1024 * 1024 * 1024,
      flushIntervalMs: 1000,
      traceCopy: args['trace-copy'] !== 'off',
      textIndexes: args['skip-indexes'] === 'text',
    },
    silentLogger(),
  );
  const { store, exporter } = opened;
  const database = await store.database(tenant);
  const countRows = async (): Promise<number> => {
    const [row] = await store.driver.query<{ n: string }>(
      `SELECT toString(count()) AS n FROM \`${database}\`.otel_traces`,
    );
    return Number(row.n);
  };

  const timeline = args['memory-log'] ? new MemoryTimeline(args['memory-log'], store.driver) : undefined;
  // Instruments: time in insert calls (marked in the memory log), spans accepted by the exporter.
  const insertTimes: number[] = [];
  let insertMs = 0;
  const timed =
    (insert: (t: string, rows: NativeRows, insertId?: string) => Promise<void>) =>
    async (t: string, rows: NativeRows, insertId?: string): Promise<void> => {
      const t0 = performance.now();
      timeline?.mark('insert');
      try {
        await insert(t, rows, insertId);
      } finally {
        timeline?.mark('inserted');
        const ms = performance.now() - t0;
        insertMs += ms;
        insertTimes.push(ms);
      }
    };
  // Both inserts of a flush: otel_traces, then the trace-id-ordered copy (layout 3).
  store.insertSpanRows = timed(store.insertSpanRows.bind(store));
  store.insertTraceSpanRows = timed(store.insertTraceSpanRows.bind(store));
  let accepted = 0;
  const consume = exporter.consumeTraces.bind(exporter);
  exporter.consumeTraces = (data, context) => {
    // Counted first, and no async frame holding `data`: the wrapper must not keep the batch
    // reachable while the log record is fsynced (the exporter lets go of it before that, so that
    // the GC need not promote it).
    const spans = countSpans(data);
    return consume(data, context).then(() => {
      accepted += spans;
    });
  };

  timeline?.start();
  const running = await startAllInOne(loopbackAllInOneConfig({ store }), [exporter], silentLogger());
  let result: StoreIngestResult | undefined;
  try {
    const receiver = running.receivers.find((r) => r.component === 'otlp-http');
    if (!receiver) throw new Error('no otlp-http receiver in the all-in-one app');
    const options: LoadOptions = {
      protocol: 'http',
      target: receiver.address(),
      concurrency: Number(args.concurrency),
      warmupMs: Number(args['warmup-ms']),
      durationMs: Number(args['duration-ms']),
      maxRequests: Number(args['max-requests']),
      batches: 16,
      spansPerBatch: 512,
      baseUnixNano: (BigInt(Date.now()) * 1_000_000n).toString(),
      // New traces in every request, as real traffic has. Replayed, the same 8,192 span ids came
      // back ~4 times a second, and the service graph pairer made ~5.7 edge rows a span of them
      // instead of ~1 (bench/RESULTS.md, "Store ingest and peak RSS").
      freshTraceIds: !args['replayed-trace-ids'],
      refusedBackoffMs: Number(args['refused-backoff-ms']),
    };
    result = await measure(options, () => running.shutdown());
  } finally {
    await running.shutdown();
    timeline?.stop();
    await opened.close();
  }
  if (process.send) process.send(result);
  else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

  async function measure(options: LoadOptions, shutdown: () => Promise<void>): Promise<StoreIngestResult> {
    const running = { shutdown };
    const child = fork(new URL('./load-generator.js', import.meta.url), [JSON.stringify(options)], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv: [],
    });
    const sampler = new RssSampler(100);
    let failure = '';
    let backlog = 0;
    let sampling = false;
    const sampleBacklog = async (): Promise<void> => {
      while (sampling) {
        const stored = await countRows();
        backlog = Math.max(backlog, accepted - stored);
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    };
    let before:
      | {
          stored: number;
          cpu: ReturnType<typeof threadCpu>;
          busy: number;
          at: number;
          insertMs: number;
          inserts: number;
        }
      | undefined;
    const report = await new Promise<LoadReport>((resolve, reject) => {
      const watchdog = setTimeout(
        () => child.kill('SIGKILL'),
        options.warmupMs + options.durationMs + 60_000,
      );
      let done: LoadReport | undefined;
      child.on('message', (raw) => {
        const message = raw as GeneratorMessage; // sent by load-generator.ts
        if (message.type === 'warmed') {
          void countRows().then((stored) => {
            before = {
              stored,
              cpu: threadCpu(),
              busy: machineBusyMs(),
              at: performance.now(),
              insertMs,
              inserts: insertTimes.length,
            };
            sampler.start();
            const snapshot = args['heap-snapshot'];
            if (snapshot)
              setTimeout(() => writeHeapSnapshot(snapshot), Number(args['heap-snapshot-after-ms']));
            timeline?.mark('measured');
            sampling = true;
            void sampleBacklog();
            child.send({ type: 'go' });
          });
        } else if (message.type === 'done') done = message.report;
        else failure = message.message;
      });
      child.on('exit', (code, signal) => {
        clearTimeout(watchdog);
        if (done) resolve(done);
        else
          reject(
            new Error(
              `load generator ended without a report (${signal ?? `exit ${code}`}${failure ? `: ${failure}` : ''})`,
            ),
          );
      });
    });
    if (!before) throw new Error('no measured phase');
    const endAt = performance.now();
    timeline?.mark('load ended');
    sampling = false;
    const cpu = threadCpuDelta(before.cpu, threadCpu());
    const busy = machineBusyMs() - before.busy;
    const measuredInsertMs = insertMs - before.insertMs;
    const measuredInserts = insertTimes.slice(before.inserts);
    const storedAtEnd = await countRows();
    // Not exporter.flushAll(): it races the exporter's timer flush (see RESULTS.md). Shutting the
    // app down stops the timer, waits for its flush, then drains the log.
    await running.shutdown();
    const catchUpMs = performance.now() - endAt;
    timeline?.mark('drained');
    const storedFinal = await countRows();
    const peak = sampler.stop().peakBytes;
    const wallMs = endAt - before.at;
    // Bytes on disk per span as the parts are now (not merged: the bytes table does that).
    const [disk] = await store.driver.query<{ b: string }>(
      `SELECT toString(sum(bytes_on_disk)) AS b FROM system.parts WHERE active AND database = {database:String} AND table = 'otel_traces'`,
      { database },
    );
    return {
      kind: 'ingest',
      concurrency: options.concurrency,
      durationMs: options.durationMs,
      ackedSpansPerSec: (report.spansOk * 1000) / report.elapsedMs,
      ackedSpans: report.spansOk,
      failed: report.failed,
      firstError: report.firstError,
      latencyP50Ms: report.latencyP50Ms,
      latencyP99Ms: report.latencyP99Ms,
      storedAtStart: before.stored,
      storedAtEnd,
      storedFinal,
      acceptedTotal: accepted,
      storedSpansPerSec: ((storedAtEnd - before.stored) * 1000) / wallMs,
      storedSpansPerSecWithCatchUp: ((storedFinal - before.stored) * 1000) / (wallMs + catchUpMs),
      catchUpMs,
      maxBacklogSpans: backlog,
      insertWallShare: measuredInsertMs / wallMs,
      inserts: measuredInserts.length,
      insertMsP50: quantile(measuredInserts, 0.5),
      insertMsMax: quantile(measuredInserts, 1),
      cpu,
      wallMs,
      clientCores: report.cpuMs / report.elapsedMs,
      otherCores: Math.max(0, (busy - cpu.totalMs - report.cpuMs) / wallMs),
      peakRssBytes: peak,
      vmHwmBytes: vmHwmBytes(),
      bytesPerSpanOnDisk: Number(disk.b) / storedFinal,
    };
  }
} finally {
  await rm(dataDir, { recursive: true, force: true });
}
