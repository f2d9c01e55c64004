import { makeEncodedBatches } from './encoded-batches.js';
import { freshTraceIdSender } from './fresh-trace-ids.js';
import { connectGrpcSender } from './grpc-sender.js';
import { httpSender } from './http-sender.js';
import type { GeneratorMessage, LoadOptions, LoadReport } from './ingest-messages.js';
import { runLoadLoop } from './load-loop.js';
import { ownCpuMs } from './machine-load.js';

/*
 * The ingest benchmark's client, forked by ingest-server.ts so that it runs on its own event loop
 * (and, given the cores, its own core): encodes the batches once, warms up, reports `warmed`,
 * waits for `go`, then replays them for the measured phase and reports.
 */

// Written by ingest-server.ts from a typed LoadOptions.
const options = JSON.parse(process.argv[2]) as LoadOptions;
let finished = false;
// If the server process goes away, stop rather than load a port nobody measures.
process.on('disconnect', () => {
  if (!finished) process.exit(2);
});

try {
  const batches = makeEncodedBatches(
    options.batches,
    options.spansPerBatch,
    options.baseUnixNano === undefined ? undefined : BigInt(options.baseUnixNano),
  );
  const sender =
    options.protocol === 'grpc'
      ? await connectGrpcSender(options.target)
      : httpSender(options.target, options.concurrency);
  const loop = {
    concurrency: options.concurrency,
    maxRequests: options.maxRequests,
    refusedBackoffMs: options.refusedBackoffMs,
  };
  const send = options.freshTraceIds ? freshTraceIdSender(sender.send, batches.protobuf) : sender.send;
  try {
    await runLoadLoop(send, batches.protobuf, { ...loop, durationMs: options.warmupMs });
    const go = waitForGo();
    await tell({ type: 'warmed' });
    await go;
    const cpuBefore = ownCpuMs();
    const result = await runLoadLoop(send, batches.protobuf, {
      ...loop,
      durationMs: options.durationMs,
    });
    const report: LoadReport = {
      ok: result.ok,
      failed: result.failed,
      firstError: result.firstError,
      spansOk: result.ok * batches.spansPerBatch,
      elapsedMs: result.elapsedMs,
      latencyP50Ms: result.latencyP50Ms,
      latencyP99Ms: result.latencyP99Ms,
      latencyMaxMs: result.latencyMaxMs,
      cpuMs: ownCpuMs() - cpuBefore,
      payloadBytesAvg: batches.protobuf.reduce((n, b) => n + b.length, 0) / batches.protobuf.length,
    };
    await tell({ type: 'done', report });
  } finally {
    sender.close();
  }
} catch (error) {
  await tell({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
} finally {
  finished = true;
  if (process.connected) process.disconnect();
}

function tell(message: GeneratorMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) reject(new Error('load-generator must be started with child_process.fork'));
    else process.send(message, undefined, {}, (error) => (error ? reject(error) : resolve()));
  });
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => process.once('message', () => resolve()));
}
