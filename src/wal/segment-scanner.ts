import { decodeHeader, HEADER_BYTES, payloadIntact, RECORD_MAGIC } from './record-framing.js';
import type { RecordHeader } from './record-framing.js';
import type { WalFile } from './wal-file-system.js';

export type ScanEvent =
  | { readonly kind: 'record'; readonly offset: number; readonly sequence: number; readonly payload: Buffer }
  | {
      readonly kind: 'damage';
      readonly offset: number;
      readonly length: number;
      readonly reason: 'bad-header' | 'bad-checksum' | 'truncated-record';
      /** Nothing intact follows: in the last segment this is a torn tail. */
      readonly atEnd: boolean;
    };

/** How much of a file one read takes unless the caller says more. */
export const SCAN_CHUNK_BYTES = 1024 * 1024;

/**
 * Reads a segment's bytes [start, end) in order and reports each intact record and each damaged
 * stretch. After damage it resynchronises on the next intact header: right after the damaged
 * record when its header was intact (its length is then trustworthy), else at the next magic
 * whose header CRC checks. It judges framing only; sequence order is the caller's business.
 */
export async function* scanSegment(
  file: WalFile,
  start: number,
  end: number,
  chunkBytes = SCAN_CHUNK_BYTES,
): AsyncGenerator<ScanEvent> {
  const window = new ReadWindow(file, end, chunkBytes);
  let pos = start;
  while (pos < end) {
    const header = await window.headerAt(pos);
    let reason: 'bad-header' | 'bad-checksum' | 'truncated-record' = 'bad-header';
    if (header) {
      const frame = HEADER_BYTES + header.length;
      if (pos + frame <= end) {
        await window.ensure(pos, frame);
        const payload = window.view(pos + HEADER_BYTES, header.length);
        if (payloadIntact(header, payload)) {
          yield { kind: 'record', offset: pos, sequence: header.sequence, payload };
          pos += frame;
          continue;
        }
        reason = 'bad-checksum';
        if (pos + frame === end || (await window.headerAt(pos + frame))) {
          yield { kind: 'damage', offset: pos, length: frame, reason, atEnd: pos + frame === end };
          pos += frame;
          continue;
        }
      } else {
        reason = 'truncated-record';
      }
    }
    const next = await window.findHeader(pos + 1);
    yield { kind: 'damage', offset: pos, length: next - pos, reason, atEnd: next >= end };
    pos = next;
  }
}

/**
 * A sliding view of a file. Each refill allocates a fresh buffer, so payloads handed out as
 * slices stay valid after the window moves on (no copy per record).
 */
class ReadWindow {
  private buffer = Buffer.alloc(0);
  /** File offset of buffer[0]. */
  private start = 0;

  constructor(
    private readonly file: WalFile,
    private readonly end: number,
    private readonly chunkBytes: number,
  ) {}

  /** Makes [pos, pos + length) (clamped to the end) readable; returns bytes available from pos. */
  async ensure(pos: number, length: number): Promise<number> {
    const want = Math.min(pos + length, this.end);
    const windowEnd = this.start + this.buffer.length;
    if (pos >= this.start && want <= windowEnd) return windowEnd - pos;
    const next = Buffer.allocUnsafe(Math.min(this.end, Math.max(want, pos + this.chunkBytes)) - pos);
    let have = pos >= this.start && pos < windowEnd ? this.buffer.copy(next, 0, pos - this.start) : 0;
    while (have < next.length) {
      const read = await this.file.read(next, have, next.length - have, pos + have);
      if (read === 0) break; // the file is shorter than expected: treat what is there as the end
      have += read;
    }
    this.buffer = next.subarray(0, have);
    this.start = pos;
    return have;
  }

  view(pos: number, length: number): Buffer {
    return this.buffer.subarray(pos - this.start, pos - this.start + length);
  }

  async headerAt(pos: number): Promise<RecordHeader | undefined> {
    if (pos + HEADER_BYTES > this.end) return undefined;
    await this.ensure(pos, HEADER_BYTES);
    return decodeHeader(this.buffer, pos - this.start);
  }

  /** The offset of the next intact header at or after `from`, or the end. */
  async findHeader(from: number): Promise<number> {
    let pos = from;
    while (pos + HEADER_BYTES <= this.end) {
      const available = await this.ensure(pos, this.chunkBytes);
      const index = this.buffer.indexOf(RECORD_MAGIC, pos - this.start);
      if (index === -1) {
        // Keep the last 3 bytes: a magic may straddle the window's edge.
        pos = Math.max(pos + 1, pos + available - (RECORD_MAGIC.length - 1));
        continue;
      }
      const candidate = this.start + index;
      if (await this.headerAt(candidate)) return candidate;
      pos = candidate + 1;
    }
    return this.end;
  }
}
