import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Memory that grows with the data this thread's V8 isolate holds: its heap in use plus what its
 * objects own outside it (Buffers, ArrayBuffers). Per isolate: a worker thread's heap and Buffers
 * are not in the main thread's figures, nor the main thread's in a worker's. v8's statistics, not
 * process.memoryUsage(): the same two figures without reading the process's RSS (~1 µs, not ~14).
 */
export function isolateMemoryBytes(): number {
  const heap = getHeapStatistics();
  return heap.used_heap_size + heap.external_memory;
}

/** Each live worker thread's isolateMemoryBytes() as it last reported it, by worker. */
const workerIsolates = new Map<object, number>();

/** Records what a worker thread (any object that stands for it) last reported of its isolate. */
export function recordWorkerIsolateMemory(worker: object, bytes: number): void {
  workerIsolates.set(worker, bytes);
}

/** Forgets a worker thread that has ended: its isolate's memory is freed with it. */
export function forgetWorkerIsolate(worker: object): void {
  workerIsolates.delete(worker);
}

/**
 * The process's memory held by data: this thread's isolate, measured now, plus every worker
 * thread's as it last reported it (processor workers report every few hundred milliseconds).
 * The OpenTelemetry Collector's memory_limiter reads the Go runtime's heap, one heap for all its
 * goroutines; a Node process has one heap per thread, so the same measure is their sum.
 */
export function processIsolatesMemoryBytes(): number {
  let bytes = isolateMemoryBytes();
  for (const workerBytes of workerIsolates.values()) bytes += workerBytes;
  return bytes;
}

let gc: (() => void) | undefined;

/**
 * Collects this thread's isolate's garbage, so that isolateMemoryBytes() falls to what it holds.
 * V8 collects only as a thread allocates: a thread left idle (a processor worker while
 * memory_limiter refuses data, so nothing reaches it) keeps counting the garbage of its last
 * requests for ever. `globalThis.gc` when Node runs with --expose-gc; otherwise the same function
 * from a context made after setting the flag (V8 installs `gc` in contexts made once it is set),
 * as a worker thread cannot be started with V8 flags of its own (ERR_WORKER_INVALID_EXEC_ARGV).
 */
export function collectIsolateGarbage(): void {
  const exposed = globalThis.gc;
  gc ??= exposed ? () => exposed() : exposedGc();
  // Twice: the first frees the heap, but Buffers' memory leaves external_memory only when the
  // sweep of their ArrayBuffers is finished, which the next collection waits for.
  gc();
  gc();
}

function exposedGc(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('typeof gc === "function" ? gc : undefined') as (() => void) | undefined;
  // A Node whose V8 no longer takes flags once started: collect nothing rather than fail.
  return gc ?? (() => undefined);
}
