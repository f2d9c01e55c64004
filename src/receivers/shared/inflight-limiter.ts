import { RequestRejection } from './request-rejection.js';

/**
 * Bounds the request bytes that all receivers of a process hold at once (read, decoded or
 * waiting on the pipeline). Past the bound a request is refused before its body is read, so
 * a burst costs the sender a retry instead of costing this process its memory.
 */
export class InflightLimiter {
  private inflight = 0;

  constructor(
    readonly maxBytes: number,
    private readonly retryAfterMs = 1000,
  ) {}

  get bytesInFlight(): number {
    return this.inflight;
  }

  /** Reserves `bytes`, or throws a retryable 'busy' rejection. A request is always let in when nothing else is in flight. */
  acquire(bytes: number): void {
    if (this.inflight > 0 && this.inflight + bytes > this.maxBytes) {
      throw new RequestRejection(
        'busy',
        `too much data in flight (${mib(this.inflight)} of ${mib(this.maxBytes)} MiB): retry later`,
        this.retryAfterMs,
      );
    }
    this.inflight += bytes;
  }

  release(bytes: number): void {
    this.inflight -= bytes;
  }
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1);
}
