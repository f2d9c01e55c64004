import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { compileProcessorWorker } from '../../../test/support/processor-worker-build.js';
import { RetryableError } from '../../consumer/errors.js';
import { silentLogger } from '../../logging/logger.js';
import { isolateMemoryBytes, processIsolatesMemoryBytes } from '../../observability/isolate-memory.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { ProcessorWorkerPool } from '../../pipeline/worker-offload/processor-worker-pool.js';
import { batch, span } from '../processor-test-support.js';
import { MemoryLimiterProcessor } from './memory-limiter-processor.js';

/*
 * With --workers, memory held on a worker thread is in that thread's isolate, which the main
 * thread's process.memoryUsage() does not count. A real processor worker is started in an isolate
 * that holds HELD_MIB of Buffers — as one would, deep in a large request — and memory_limiter, on
 * the main thread with its default measure, must see it.
 */
const MIB = 1024 * 1024;
const HELD_MIB = 192;

let worker: Awaited<ReturnType<typeof compileProcessorWorker>>;
let holdingEntry: URL;
beforeAll(async () => {
  worker = await compileProcessorWorker();
  holdingEntry = new URL('holding-worker.mjs', worker.entry);
  await writeFile(
    holdingEntry,
    `globalThis.held = Buffer.alloc(${HELD_MIB * MIB}, 1);\nawait import('./processor-worker.js');\n`,
  );
}, 60_000);
afterAll(() => worker.remove());

const ctx = { tenant: 'single-tenant' };

async function accepts(limiter: MemoryLimiterProcessor): Promise<boolean> {
  limiter.check();
  try {
    await limiter.consumeTraces(batch([span()]), ctx);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(RetryableError);
    return false;
  }
}

async function until(what: string, condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The Collector's defaults. */
const GC_INTERVALS = { minGcIntervalSoftMs: 10_000, minGcIntervalHardMs: 0 };

describe('memory_limiter with processor workers', () => {
  it("refuses data while a worker thread's isolate holds memory past the soft limit, and accepts once it ends", async () => {
    // The soft limit (limit − spike) half the held memory above what the process uses now.
    const softLimit = processIsolatesMemoryBytes() + (HELD_MIB / 2) * MIB;
    const limiter = new MemoryLimiterProcessor(
      { checkIntervalMs: 60_000, limitBytes: softLimit + 32 * MIB, spikeBytes: 32 * MIB, ...GC_INTERVALS },
      { consumeTraces: () => Promise.resolve() },
      silentLogger(),
    );
    await limiter.start();
    expect(await accepts(limiter)).toBe(true);

    const pool = new ProcessorWorkerPool({
      count: 1,
      setup: { processors: [], logLevel: 'silent' },
      logger: silentLogger(),
      processorLoggers: new Map(),
      entry: holdingEntry,
    });
    try {
      await pool.start();
      await until('the limiter refuses', async () => !(await accepts(limiter)));
      expect(processIsolatesMemoryBytes()).toBeGreaterThanOrEqual(softLimit);
    } finally {
      await pool.shutdown();
    }
    // The worker's isolate is gone with its memory: no stale report keeps the limiter refusing.
    expect(await accepts(limiter)).toBe(true);
    await limiter.shutdown();
  });

  it('accepts again once the requests that filled an idle worker are done: the worker collects its garbage', async () => {
    const pool = new ProcessorWorkerPool({
      count: 1,
      setup: {
        processors: [
          {
            id: 'attributes',
            type: 'attributes',
            value: { actions: [{ key: 'deployment.environment', value: 'production', action: 'insert' }] },
            path: 'processors.attributes',
          },
        ],
        logLevel: 'silent',
      },
      logger: silentLogger(),
      processorLoggers: new Map(),
      entry: worker.entry,
    });
    // The workers' share only: the main thread's own garbage (this test's) would blur what is measured.
    const workersMemory = (): number => processIsolatesMemoryBytes() - isolateMemoryBytes();
    try {
      await pool.start();
      await until('the worker reports', () => Promise.resolve(workersMemory() > 0));
      const softLimit = workersMemory() + 32 * MIB;
      const limiter = new MemoryLimiterProcessor(
        { checkIntervalMs: 60_000, limitBytes: softLimit + 8 * MIB, spikeBytes: 8 * MIB, ...GC_INTERVALS },
        { consumeTraces: () => Promise.resolve() },
        silentLogger(),
        workersMemory,
      );
      await limiter.start();
      let refused = false;
      const watch = setInterval(() => void accepts(limiter).then((yes) => (refused ||= !yes)), 10);
      // ~9 MiB requests, a few hundred milliseconds of work: reports come while the worker is busy.
      const request = encodeExportTraceServiceRequest(makeRealisticBatch(20_000));
      for (let i = 0; i < 10; i++) await pool.process([request], 'single-tenant');
      clearInterval(watch);
      expect(refused).toBe(true);
      // Nothing reaches the worker now, as nothing passes a limiter that refuses: its garbage must
      // still leave the figure.
      await until('the limiter accepts', () => accepts(limiter), 5_000);
      await limiter.shutdown();
    } finally {
      await pool.shutdown();
    }
  }, 60_000);
});
