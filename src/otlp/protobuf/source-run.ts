import type { ProtoWriter } from './proto-writer.js';

/**
 * The bytes of a request being copied into a ProtoWriter (encodeExportTraceServiceRequestFromSource):
 * pieces that lie one after the other in the source — a span's head, its attributes, its events —
 * are written as one copy, however many pieces. Whoever writes anything else to the writer, or
 * closes a message, flushes first: the pending copy belongs before it.
 */
export class SourceRun {
  /** The pending bytes `source[start, end)`; start < 0: none. */
  private start = -1;
  private end = -1;

  constructor(
    readonly writer: ProtoWriter,
    readonly source: Uint8Array,
  ) {}

  /** Appends `source[start, end)` (whole fields) to what is to be copied. */
  add(start: number, end: number): void {
    if (start === this.end) {
      this.end = end;
      return;
    }
    this.flush();
    this.start = start;
    this.end = end;
  }

  /** Writes what is pending. */
  flush(): void {
    if (this.start < 0) return;
    this.writer.raw(this.source, this.start, this.end);
    this.start = -1;
    this.end = -1;
  }
}
