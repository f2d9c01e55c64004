import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { compileProcessorWorker } from '../../../test/support/processor-worker-build.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequest } from '../../otlp/protobuf/decode-traces.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { processorWorkerRestarts } from '../../observability/self-metrics.js';
import { ProcessorWorkerPool } from './processor-worker-pool.js';
import type { WorkerProcessorSpec } from './worker-messages.js';

/*
 * Replacing processor workers, with real worker threads running the real processor worker. A
 * worker is made to fail at start-up as a real one fails: its processors cannot be built (here, a
 * processor that may not run on a worker), the setup it is started with changed by the test.
 */
let worker: Awaited<ReturnType<typeof compileProcessorWorker>>;
beforeAll(async () => {
  worker = await compileProcessorWorker();
}, 60_000);
afterAll(() => worker.remove());

const pools: ProcessorWorkerPool[] = [];
afterEach(async () => {
  for (const pool of pools.splice(0)) await pool.shutdown();
});

const INSERT: WorkerProcessorSpec = {
  id: 'attributes',
  type: 'attributes',
  value: { actions: [{ key: 'deployment.environment', value: 'production', action: 'insert' }] },
  path: 'processors.attributes',
};
/** Backtracks for a few hundred milliseconds on a long run of `a`: a request stays on its worker. */
const SLOW: WorkerProcessorSpec = {
  id: 'redaction',
  type: 'redaction',
  value: { allow_all_keys: true, blocked_values: ['(a+)+$'] },
  path: 'processors.redaction',
};
/** batch keeps state across requests, so a worker refuses to build it and exits before it is ready. */
const CANNOT_START: WorkerProcessorSpec = { id: 'batch', type: 'batch', value: {}, path: 'processors.batch' };

interface LogLine {
  msg: string;
  reason?: string;
  attempt?: number;
  attempts?: number;
  delayMs?: number;
  retryInMs?: number;
}

/**
 * A pool of `count` workers started with `setup`, which the test may change for the workers
 * started later, and the lines its logger wrote (`onLine` sees each as it is written).
 */
async function startPool(
  count: number,
  processors: WorkerProcessorSpec[],
  onLine = (_line: LogLine) => {},
  timing: { quickStopMs?: number; giveUpRetryDelayMs?: number } = {},
) {
  const setup = { processors, logLevel: 'silent' };
  const lines: LogLine[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write: (text: string) => {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        onLine(line);
      },
    },
  );
  const pool = new ProcessorWorkerPool({
    count,
    setup,
    logger,
    processorLoggers: new Map(),
    entry: worker.entry,
    replacementRetryDelayMs: 20,
    ...timing,
  });
  pools.push(pool);
  await pool.start();
  return { pool, setup, lines };
}

async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function request(spans: number, slowAs = 0): Buffer[] {
  const data: TracesData = makeRealisticBatch(spans, 5);
  if (slowAs > 0)
    data[0].scopeSpans[0].spans[0].attributes.push({ key: 'slow', value: `${'a'.repeat(slowAs)}!` });
  return [encodeExportTraceServiceRequest(data)];
}

const FAILED_AGAIN = 'the replacement processor worker failed to start; starting another';

describe('processor worker pool replacements', () => {
  it('replaces a replacement that dies before it is ready, and processes requests on the next one', async () => {
    const { pool, setup, lines } = await startPool(1, [INSERT], (line) => {
      // The failure is transient: the next attempt finds the processors buildable again.
      if (line.msg === FAILED_AGAIN) setup.processors = [INSERT];
    });
    const [first] = pool.threads;
    setup.processors = [CANNOT_START];
    await first.terminate();
    await until('a replacement is ready', () => pool.readyThreads === 1 && pool.threads[0] !== first);

    const failures = lines.filter((l) => l.msg === FAILED_AGAIN);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({
      attempt: 1,
      reason: expect.stringMatching(/batch cannot run on a worker/) as unknown,
    });
    const out = await pool.process(request(8), 'tenant');
    expect(out.spans).toBe(8);
    const spans = decodeExportTraceServiceRequest(out.bytes).flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) => ss.spans),
    );
    for (const span of spans)
      expect(span.attributes).toContainEqual({ key: 'deployment.environment', value: 'production' });
  });

  it('gives a worker that can never start up after 5 attempts in a row, with an error, instead of looping', async () => {
    const { pool, setup, lines } = await startPool(1, [INSERT]);
    const failedStarts = processorWorkerRestarts.get({ reason: 'failed_to_start' });
    setup.processors = [CANNOT_START];
    await pool.threads[0].terminate();
    await until('the pool gives up', () => lines.some((l) => l.msg.includes('giving up')));

    const failures = lines.filter((l) => l.msg === FAILED_AGAIN);
    expect(failures.map((l) => [l.attempt, l.delayMs])).toEqual([
      [1, 20],
      [2, 40],
      [3, 80],
      [4, 160],
    ]);
    expect(processorWorkerRestarts.get({ reason: 'failed_to_start' }) - failedStarts).toBe(4);
    expect(lines.find((l) => l.msg.includes('giving up'))).toMatchObject({
      msg: 'no replacement processor worker could start: giving up for now; the processors run on the main thread',
      attempts: 5,
      retryInMs: 60_000,
      reason: expect.stringMatching(/batch cannot run on a worker/) as unknown,
    });
    // No further attempt, and nothing left to send requests to (WorkerSegment runs them itself).
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(pool.threads).toHaveLength(0);
    expect(pool.running).toBe(false);
    await expect(pool.process(request(1), 'tenant')).rejects.toThrow(/no processor worker is running/);
  });

  it('tries a given-up slot again later, once a wait, and takes requests when it starts', async () => {
    const { pool, setup, lines } = await startPool(1, [INSERT], () => {}, { giveUpRetryDelayMs: 200 });
    setup.processors = [CANNOT_START];
    await pool.threads[0].terminate();
    await until(
      'the pool gives up twice',
      () => lines.filter((l) => l.msg.includes('giving up')).length === 2,
    );
    // One attempt per wait after giving up, not another five.
    expect(lines.filter((l) => l.msg === FAILED_AGAIN)).toHaveLength(4);
    expect(pool.running).toBe(false);

    setup.processors = [INSERT];
    await until('the slot is back', () => pool.readyThreads === 1);
    expect((await pool.process(request(3), 'tenant')).spans).toBe(3);
  });

  it('replaces a worker that keeps stopping soon after it started after a growing delay, at once again once one ran', async () => {
    const { pool, lines } = await startPool(1, [INSERT], () => {}, { quickStopMs: 2_000 });
    const stopped = processorWorkerRestarts.get({ reason: 'stopped' });
    const stopOnceReady = async (): Promise<void> => {
      await until('a worker is ready', () => pool.readyThreads === 1);
      await pool.threads[0].terminate();
    };
    for (let i = 0; i < 4; i++) await stopOnceReady();
    const stops = () => lines.filter((l) => l.msg.startsWith('a processor worker stopped'));
    expect(stops().map((l) => [l.attempt, l.delayMs])).toEqual([
      [1, 0],
      [2, 20],
      [3, 40],
      [4, 80],
    ]);
    expect(stops()[3].msg).toBe(
      'a processor worker stopped soon after it started, again; starting another after a delay',
    );
    expect(processorWorkerRestarts.get({ reason: 'stopped' }) - stopped).toBe(4);

    // One that ran past quickStopMs is replaced at once, the count started over.
    await until('a worker is ready', () => pool.readyThreads === 1);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await pool.threads[0].terminate();
    await until('a replacement is ready', () => pool.readyThreads === 1);
    expect(stops().at(-1)).toMatchObject({
      attempt: 1,
      delayMs: 0,
      msg: 'a processor worker stopped; starting another',
    });
  });

  it('sends a request to a busy ready worker rather than to a replacement still starting', async () => {
    // The replacement never gets ready: a request sent to it would be lost with it.
    const { pool, setup } = await startPool(2, [SLOW]);
    const [busy, idle] = pool.threads;
    const slow = pool.process(request(4, 25), 'tenant');
    setup.processors = [CANNOT_START];
    await idle.terminate();
    await until('the replacement is starting', () => pool.threads.length === 2 && pool.threads[1] !== idle);
    // The choice this test is about: one ready worker holding a request, one starting holding none.
    expect(pool.threads[0]).toBe(busy);
    expect(pool.readyThreads).toBe(1);
    expect(pool.pendingRequests).toBe(1);

    const fast = pool.process(request(4), 'tenant');
    await expect(fast.then((out) => out.spans)).resolves.toBe(4);
    expect((await slow).spans).toBe(4);
  });
});
