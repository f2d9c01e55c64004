import { getHeapStatistics } from 'node:v8';

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
