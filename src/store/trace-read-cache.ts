import type { TracesData } from '../model/span.js';

/**
 * What a cached read holds: the trace (the OTLP model; absent when not stored, or when the read
 * built one format straight from the stored rows), and the encodings made of it, by format name.
 */
export interface CachedTrace {
  readonly generation: number;
  readonly readAt: number;
  readonly spans: number;
  readonly trace: TracesData | undefined;
  readonly encodings: Map<string, string | Buffer>;
}

/** What one read of a trace found. */
export interface TraceReadResult {
  trace: TracesData | undefined;
  /** Spans read; 0 when none is stored. */
  spans: number;
  /** Encodings the read made at once, by format name. */
  encodings: readonly (readonly [string, string | Buffer])[];
}

export interface TraceReadCacheOptions {
  /** Most spans held across all entries; a trace larger than this is never cached. */
  maxSpans: number;
  /** An entry older than this is read again, whatever was written since. */
  maxAgeMs: number;
}

/**
 * Recent trace-by-id answers per tenant, with the encodings made of them. A trace is opened by
 * several requests in a row (Grafana asks v2 then v1, a shared link is opened by a whole team),
 * and ClickHouse answers one trace read at a time per session, so repeated reads queue behind
 * each other. An entry is exact: every insert into a tenant through this process makes its
 * entries stale (`invalidate`), and `maxAgeMs` bounds what writers in other processes (a
 * ClickHouse server shared with other Tracehouse instances) can leave unseen.
 */
export class TraceReadCache {
  private readonly entries = new Map<string, CachedTrace>();
  private readonly generations = new Map<string, number>();
  private spans = 0;

  constructor(private readonly options: TraceReadCacheOptions) {}

  /** Off (nothing is kept: every read goes to the store) when either bound is 0. */
  get enabled(): boolean {
    return this.options.maxSpans > 0 && this.options.maxAgeMs > 0;
  }

  /** The tenant's current generation: read it before a store read, hand it to `put`. */
  generation(tenant: string): number {
    return this.generations.get(tenant) ?? 0;
  }

  /** Called after every insert into the tenant: what was cached may miss the new spans. */
  invalidate(tenant: string): void {
    this.generations.set(tenant, this.generation(tenant) + 1);
  }

  get(tenant: string, key: string, now = Date.now()): CachedTrace | undefined {
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.generation !== this.generation(tenant) || now - entry.readAt > this.options.maxAgeMs) {
      this.delete(key, entry);
      return undefined;
    }
    // Map order is insertion order: re-inserting makes this the most recently used.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  /**
   * Keeps what a read found (`spans` counts against `maxSpans`; a trace not found counts 1) and
   * returns the entry, which is returned uncached when it alone is over the bound.
   */
  put(key: string, generation: number, read: TraceReadResult, now = Date.now()): CachedTrace {
    const spans = Math.max(1, read.spans);
    const entry: CachedTrace = {
      generation,
      readAt: now,
      spans,
      trace: read.trace,
      encodings: new Map(read.encodings),
    };
    if (spans > this.options.maxSpans) return entry;
    const old = this.entries.get(key);
    if (old) this.delete(key, old);
    this.entries.set(key, entry);
    this.spans += spans;
    for (const [oldestKey, oldest] of this.entries) {
      if (this.spans <= this.options.maxSpans) break;
      this.delete(oldestKey, oldest);
    }
    return entry;
  }

  private delete(key: string, entry: CachedTrace): void {
    this.entries.delete(key);
    this.spans -= entry.spans;
  }
}
