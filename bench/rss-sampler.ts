import { readFileSync } from 'node:fs';

/**
 * Samples this process's resident set size every `intervalMs` and keeps the peak, for the
 * peak RSS of a measured phase (VmHWM, below, covers the whole life of the process instead).
 */
export class RssSampler {
  private timer: NodeJS.Timeout | undefined;
  private peak = 0;
  private samples = 0;

  constructor(private readonly intervalMs = 100) {}

  start(): void {
    this.peak = process.memoryUsage.rss();
    this.samples = 1;
    this.timer = setInterval(() => {
      this.peak = Math.max(this.peak, process.memoryUsage.rss());
      this.samples++;
    }, this.intervalMs);
    this.timer.unref();
  }

  /** Stops sampling and returns the peak in bytes and the number of samples taken. */
  stop(): { peakBytes: number; samples: number } {
    clearInterval(this.timer);
    this.timer = undefined;
    this.peak = Math.max(this.peak, process.memoryUsage.rss());
    return { peakBytes: this.peak, samples: this.samples + 1 };
  }
}

/** The kernel's high-water mark of this process's RSS, in bytes; NaN where /proc is missing. */
export function vmHwmBytes(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}
