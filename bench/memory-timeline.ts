import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { getHeapSpaceStatistics } from 'node:v8';
import type { ClickHouseDriver } from '../src/store/driver/clickhouse-driver.js';

/** One sample of where this process's memory is, in bytes; the engine's part is absent while it is busy. */
export type MemorySample = NodeSample & Partial<EngineSample>;

interface NodeSample {
  atMs: number;
  rss: number;
  /** Anonymous and file-backed parts of the RSS (/proc/self/status RssAnon, RssFile). */
  rssAnon: number;
  rssFile: number;
  heapTotal: number;
  heapUsed: number;
  /** V8's young generation (its semi-spaces), part of heapTotal. */
  newSpace: number;
  external: number;
  arrayBuffers: number;
}

interface EngineSample {
  /** ClickHouse's memory tracker (system.metrics MemoryTracking): what its allocations hold. */
  chTracked: number;
  /** jemalloc's own account (system.jemalloc_stats); resident is an upper bound (freed pages count). */
  jeAllocated: number;
  jeResident: number;
  jeRetained: number;
}

/**
 * Writes a memory sample every `intervalMs` to a file, one JSON object a line, for finding where
 * a storage run's RSS goes: V8's heap, Buffers, ClickHouse's tracked allocations, jemalloc's
 * resident pages (tracked + cached + freed) and the file-backed pages of the mapped libraries.
 * Each engine sample runs two queries: compare runs made with it only to runs made with it. A
 * sample with the engine's part is written when the engine answers, so lines are in time order
 * only once sorted by `atMs`.
 */
export class MemoryTimeline {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = performance.now();
  private askingEngine = false;

  constructor(
    private readonly file: string,
    private readonly driver: ClickHouseDriver,
    private readonly intervalMs = 500,
  ) {}

  start(): void {
    writeFileSync(this.file, '');
    this.timer = setInterval(() => this.sample(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** Adds a line with a label (a phase's start or end) to the file. */
  mark(label: string): void {
    appendFileSync(
      this.file,
      `${JSON.stringify({ atMs: Math.round(performance.now() - this.started), label })}\n`,
    );
  }

  private sample(): void {
    const status = readFileSync('/proc/self/status', 'utf8');
    const kb = (name: string): number =>
      Number(new RegExp(`^${name}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    const usage = process.memoryUsage();
    const node: NodeSample = {
      atMs: Math.round(performance.now() - this.started),
      rss: usage.rss,
      rssAnon: kb('RssAnon'),
      rssFile: kb('RssFile'),
      heapTotal: usage.heapTotal,
      heapUsed: usage.heapUsed,
      newSpace: getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? NaN,
      external: usage.external,
      arrayBuffers: usage.arrayBuffers,
    };
    // The engine answers only between inserts (one session), and an insert is when memory peaks:
    // Node's part is written now, the engine's when it answers, so the peak is not skipped.
    if (this.askingEngine) {
      appendFileSync(this.file, `${JSON.stringify(node)}\n`);
      return;
    }
    this.askingEngine = true;
    void this.engineSample()
      // An engine that cannot answer (closing) still leaves Node's part.
      .then(
        (engine): MemorySample => ({ ...node, ...engine }),
        () => node,
      )
      .then((sample) => appendFileSync(this.file, `${JSON.stringify(sample)}\n`))
      .finally(() => {
        this.askingEngine = false;
      });
  }

  private async engineSample(): Promise<EngineSample> {
    const [tracked] = await this.driver.query<{ v: string }>(
      "SELECT toString(value) AS v FROM system.metrics WHERE metric = 'MemoryTracking'",
    );
    const stats = await this.driver.text('SELECT * FROM system.jemalloc_stats FORMAT TSVRaw');
    const je =
      /Allocated: (\d+), active: \d+, metadata: \d+ .*?, resident: (\d+), mapped: \d+, retained: (\d+)/.exec(
        stats,
      );
    return {
      chTracked: Number(tracked?.v ?? NaN),
      jeAllocated: Number(je?.[1] ?? NaN),
      jeResident: Number(je?.[2] ?? NaN),
      jeRetained: Number(je?.[3] ?? NaN),
    };
  }
}
