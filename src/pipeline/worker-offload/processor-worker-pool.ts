import { Worker } from 'node:worker_threads';
import type { Logger } from '../../logging/logger.js';
import { PermanentError, RetryableError } from '../../consumer/errors.js';
import { forgetWorkerIsolate, recordWorkerIsolateMemory } from '../../observability/isolate-memory.js';
import { processorWorkerRequests, processorWorkerRestarts } from '../../observability/self-metrics.js';
import { ownedArrayBuffer } from './owned-array-buffer.js';
import type { WorkerReply, WorkerSetup } from './worker-messages.js';
import { WorkerStoppedError } from './worker-stopped-error.js';

/** What a worker made of one request: an ExportTraceServiceRequest of `spans` spans. */
export interface ProcessedRequest {
  readonly bytes: Buffer;
  readonly spans: number;
}

interface Pending {
  resolve(result: ProcessedRequest): void;
  reject(error: Error): void;
}

/** One worker thread and the requests it has not answered yet. */
interface PoolWorker {
  readonly thread: Worker;
  readonly pending: Map<number, Pending>;
  ready: boolean;
  /** When it got ready (performance.now()), to tell a worker that stops soon after from one that ran. */
  readyAt: number;
  /**
   * 0 for a worker start() starts; n for the n-th attempt in a row to replace a worker that
   * stopped. Replacements that die before they are ready, or soon after (QUICK_STOP_MS), count
   * up; one that runs longer resets.
   */
  readonly attempt: number;
  /** Why it failed, when its 'error' event came before its exit. */
  failure?: Error;
}

const PROCESSOR_WORKER_ENTRY = new URL('./processor-worker.js', import.meta.url);

/** How long a worker may take to build its processors: past it, it is ended as failed to start. */
const READY_TIMEOUT_MS = 30_000;

/**
 * Attempts in a row to replace a stopped worker before the pool gives the slot up: a worker that
 * can never start (its entry gone, threads or memory exhausted) must not be started for ever.
 */
const MAX_REPLACEMENT_ATTEMPTS = 5;

/** The wait before the second attempt, doubled before each further one (the first is at once). */
const REPLACEMENT_RETRY_DELAY_MS = 250;

/** The longest wait between attempts of a worker that starts but keeps stopping. */
const MAX_REPLACEMENT_DELAY_MS = 30_000;

/**
 * A worker that stops this soon after it got ready counts as failing again: a request that kills
 * workers, or memory a worker cannot get, would otherwise have them replaced in a tight loop, each
 * start costing a core ~100 ms.
 */
const QUICK_STOP_MS = 10_000;

/** After giving a slot up, the wait before it is tried again (what stopped it may have passed). */
const GIVE_UP_RETRY_DELAY_MS = 60_000;

/**
 * A fixed number of processor workers (processor-worker.ts) running the same processors. Sends
 * each request to the ready worker with the fewest unanswered ones. A worker that dies fails its
 * unanswered requests with WorkerStoppedError (retryable: nothing of them went on) and is
 * replaced at once. A replacement that dies before it is ready is replaced again, after a growing
 * delay, up to MAX_REPLACEMENT_ATTEMPTS in a row; then the pool logs an error and runs with one
 * worker fewer (with none, `running` is false and the segment runs the processors on the main
 * thread) until it tries the slot again, GIVE_UP_RETRY_DELAY_MS later, and so on. A worker that
 * gets ready but stops within QUICK_STOP_MS is replaced after the same growing delay (capped at
 * MAX_REPLACEMENT_DELAY_MS), never given up: it can start, so the slot stays.
 * At start-up a worker that cannot start fails start() instead: the config or the build is wrong.
 *
 * Each worker reports its isolate's memory (observability/isolate-memory.ts), which the pool
 * records for memory_limiter while the worker lives.
 *
 * Nothing queues here without bound: every unanswered request is a caller awaiting it, and
 * receivers hold a request's bytes in the InflightLimiter until the pipeline has taken it.
 * Workers are unref'd while idle, so they never keep the process alive by themselves.
 */
export class ProcessorWorkerPool {
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private stopping = false;

  constructor(
    private readonly options: {
      readonly count: number;
      readonly setup: WorkerSetup;
      readonly logger: Logger;
      /**
       * Each offloaded processor's own logger, by its id (WorkerProcessorSpec.id): a line it logs
       * on a worker is written through it, as it would be on this thread. The worker's line names
       * the processor, and the pool's logger already binds the segment as `component`; pino does
       * not merge bindings, so writing it there would give the line two `component` keys.
       */
      readonly processorLoggers: ReadonlyMap<string, Logger>;
      readonly entry?: URL;
      /** READY_TIMEOUT_MS unless given (tests). */
      readonly readyTimeoutMs?: number;
      /** REPLACEMENT_RETRY_DELAY_MS unless given (tests). */
      readonly replacementRetryDelayMs?: number;
      /** QUICK_STOP_MS unless given (tests). */
      readonly quickStopMs?: number;
      /** GIVE_UP_RETRY_DELAY_MS unless given (tests). */
      readonly giveUpRetryDelayMs?: number;
    },
  ) {}

  /** Replacements waiting for their delay (see onExit), cancelled by shutdown. */
  private readonly retryTimers = new Set<NodeJS.Timeout>();

  /** Starts every worker and waits until each has built its processors; fails with the first that cannot. */
  async start(): Promise<void> {
    // Node 20 runs no TypeScript: from the sources (vitest) the caller passes a compiled entry.
    if (this.options.entry === undefined && import.meta.url.endsWith('.ts'))
      throw new Error(`processor workers run compiled JavaScript; none is next to ${import.meta.url}`);
    const entry = this.options.entry ?? PROCESSOR_WORKER_ENTRY;
    const started = Array.from({ length: this.options.count }, () => this.spawn(entry, 0));
    try {
      await Promise.all(started);
    } catch (error) {
      await this.shutdown();
      throw error;
    }
  }

  /** The live worker threads, for tests and diagnostics (a test ends one to see it replaced). */
  get threads(): readonly Worker[] {
    return this.workers.map((w) => w.thread);
  }

  /** Worker threads that have built their processors (a replacement is not at once). */
  get readyThreads(): number {
    let n = 0;
    for (const worker of this.workers) if (worker.ready) n++;
    return n;
  }

  /** Requests sent to a worker and not answered yet. */
  get pendingRequests(): number {
    let n = 0;
    for (const worker of this.workers) n += worker.pending.size;
    return n;
  }

  /** True while a worker can take requests (false before start and after shutdown). */
  get running(): boolean {
    return !this.stopping && this.workers.length > 0;
  }

  /** Runs the processors over one request (its bytes, concatenated) for `tenant`. */
  process(parts: readonly Buffer[], tenant: string): Promise<ProcessedRequest> {
    const worker = this.leastBusy();
    if (!worker) return Promise.reject(new RetryableError('no processor worker is running: retry later'));
    const id = this.nextId++;
    const bytes = ownedArrayBuffer(parts);
    return new Promise<ProcessedRequest>((resolve, reject) => {
      if (worker.pending.size === 0) worker.thread.ref();
      worker.pending.set(id, { resolve, reject });
      worker.thread.postMessage({ id, tenant, bytes, length: bytes.byteLength }, [bytes]);
    });
  }

  /** Waits for no request (callers drain theirs first), then ends every worker. Idempotent. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.thread.terminate()));
    for (const worker of workers) forgetWorkerIsolate(worker.thread);
  }

  /**
   * The ready worker with the fewest unanswered requests. A worker still starting (a replacement)
   * takes none while one is ready: its requests would wait for its start-up, or fail with it. Only
   * when none is ready does one starting take them (they wait in its port until it is ready), so
   * that what a stopped worker held runs once more on its replacement instead of being refused.
   */
  private leastBusy(): PoolWorker | undefined {
    let best: PoolWorker | undefined;
    for (const worker of this.workers) {
      if (best === undefined || (worker.ready && !best.ready)) best = worker;
      else if (worker.ready === best.ready && worker.pending.size < best.pending.size) best = worker;
    }
    return best;
  }

  /** Starts a worker; resolves when it is ready, rejects if it exits before. */
  private spawn(entry: URL, attempt: number): Promise<void> {
    const thread = new Worker(entry, { workerData: this.options.setup });
    thread.unref();
    const worker: PoolWorker = { thread, pending: new Map(), ready: false, readyAt: 0, attempt };
    this.workers.push(worker);
    // A worker stuck before it is ready (a processor's set-up that never returns) would hold
    // start-up, or a replacement, for ever: it is ended instead, and fails as one that exited.
    const readyTimeoutMs = this.options.readyTimeoutMs ?? READY_TIMEOUT_MS;
    const notReady = setTimeout(() => {
      worker.failure = new Error(`not ready after ${readyTimeoutMs} ms`);
      void thread.terminate();
    }, readyTimeoutMs);
    notReady.unref();
    return new Promise((resolve, reject) => {
      thread.on('message', (reply: WorkerReply) => {
        if (reply.type === 'ready') {
          clearTimeout(notReady);
          worker.ready = true;
          worker.readyAt = performance.now();
          resolve();
        } else this.onReply(worker, reply);
      });
      thread.on('error', (error) => (worker.failure = error));
      thread.on('exit', (code) => {
        clearTimeout(notReady);
        const why = worker.failure?.message ?? `exit code ${code}`;
        if (!worker.ready) reject(new Error(`a processor worker failed to start: ${why}`));
        this.onExit(worker, why, entry);
      });
    });
  }

  private onReply(worker: PoolWorker, reply: WorkerReply): void {
    if (reply.type === 'log') return this.relayLog(reply.line);
    if (reply.type === 'memory') return recordWorkerIsolateMemory(worker.thread, reply.bytes);
    if (reply.type === 'ready') return;
    const pending = worker.pending.get(reply.id);
    if (!pending) return;
    worker.pending.delete(reply.id);
    if (worker.pending.size === 0) worker.thread.unref();
    processorWorkerRequests.inc({ outcome: reply.type === 'done' ? 'processed' : 'refused' });
    if (reply.type === 'done')
      pending.resolve({ bytes: Buffer.from(reply.bytes, 0, reply.length), spans: reply.spans });
    else if (reply.kind === 'permanent') pending.reject(new PermanentError(reply.message));
    else if (reply.kind === 'retryable')
      pending.reject(new RetryableError(reply.message, reply.retryAfterMs));
    else pending.reject(new Error(reply.message));
  }

  private onExit(worker: PoolWorker, why: string, entry: URL): void {
    const index = this.workers.indexOf(worker);
    if (index >= 0) this.workers.splice(index, 1);
    forgetWorkerIsolate(worker.thread);
    if (worker.pending.size > 0) processorWorkerRequests.inc({ outcome: 'lost' }, worker.pending.size);
    for (const pending of worker.pending.values())
      pending.reject(new WorkerStoppedError(`a processor worker stopped (${why}): retry`));
    worker.pending.clear();
    // One of start()'s failing fails start(), which ends the others.
    if (this.stopping || (!worker.ready && worker.attempt === 0)) return;
    const { logger } = this.options;
    if (worker.ready) {
      const ranFor = performance.now() - worker.readyAt;
      const quick = ranFor < (this.options.quickStopMs ?? QUICK_STOP_MS);
      const attempt = quick ? worker.attempt + 1 : 1;
      processorWorkerRestarts.inc({ reason: 'stopped' });
      const delayMs = this.replace(entry, attempt);
      logger.error(
        { reason: why, attempt, ranForMs: Math.round(ranFor), delayMs },
        quick && attempt > 1
          ? 'a processor worker stopped soon after it started, again; starting another after a delay'
          : 'a processor worker stopped; starting another',
      );
      return;
    }
    if (worker.attempt < MAX_REPLACEMENT_ATTEMPTS) {
      processorWorkerRestarts.inc({ reason: 'failed_to_start' });
      const delayMs = this.replace(entry, worker.attempt + 1);
      logger.error(
        { reason: why, attempt: worker.attempt, delayMs },
        'the replacement processor worker failed to start; starting another',
      );
      return;
    }
    const retryInMs = this.options.giveUpRetryDelayMs ?? GIVE_UP_RETRY_DELAY_MS;
    // One attempt per wait from now on, each of which that fails comes back here.
    this.schedule(entry, MAX_REPLACEMENT_ATTEMPTS, retryInMs);
    logger.error(
      {
        reason: why,
        attempts: worker.attempt,
        workers: this.workers.length,
        configured: this.options.count,
        retryInMs,
      },
      this.workers.length > 0
        ? 'no replacement processor worker could start: giving up for now; the other workers go on'
        : 'no replacement processor worker could start: giving up for now; the processors run on the main thread',
    );
  }

  /**
   * Starts replacement number `attempt` in a row: the first at once, later ones after a growing
   * delay. Returns the delay.
   */
  private replace(entry: URL, attempt: number): number {
    const base = this.options.replacementRetryDelayMs ?? REPLACEMENT_RETRY_DELAY_MS;
    const delayMs = attempt <= 1 ? 0 : Math.min(base * 2 ** (attempt - 2), MAX_REPLACEMENT_DELAY_MS);
    this.schedule(entry, attempt, delayMs);
    return delayMs;
  }

  private schedule(entry: URL, attempt: number, delayMs: number): void {
    // Its failure to start is handled (logged, retried) by onExit, like any worker's exit.
    const start = () => void this.spawn(entry, attempt).catch(() => undefined);
    if (delayMs === 0) return start();
    const timer = setTimeout(() => {
      this.retryTimers.delete(timer);
      if (!this.stopping) start();
    }, delayMs);
    timer.unref();
    this.retryTimers.add(timer);
  }

  /** A worker's pino JSON line, written again through its processor's logger at its level. */
  private relayLog(line: string): void {
    const { level, msg, component, ...fields } = JSON.parse(line) as {
      level: number;
      msg?: string;
      time?: number;
      component?: string;
    };
    // This thread's logger stamps its own time, and its processor's logger binds the component.
    delete fields.time;
    const logger =
      (component === undefined ? undefined : this.options.processorLoggers.get(component)) ??
      this.options.logger;
    const label = logger.levels.labels[level] ?? 'info';
    logger[label as 'info'](fields, msg);
  }
}
