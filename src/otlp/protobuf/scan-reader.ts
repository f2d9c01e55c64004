import type { ProtoReader } from './proto-reader.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import { isValidUtf8 } from './valid-utf8.js';

/*
 * The reads the trace scanner needs beyond ProtoReader's: the same bounds checks and the same
 * error messages as the reads the decoder makes at that place, but nothing built — no string, no
 * BigInt for an int64 or a timestamp. Each one leaves `r.pos` where the decoder's would.
 */

/**
 * ProtoReader.lengthEnd with the one- and two-byte lengths (nearly all of them) read here: the
 * scan is little else than length reads, and ProtoReader's, called from the scanner's larger
 * functions, were not inlined (a quarter of the scan's profile). Same result, same errors.
 */
export function lengthEnd(r: ProtoReader, end: number): number {
  const buf = r.buf;
  const pos = r.pos;
  if (pos + 1 < end) {
    const b0 = buf[pos];
    if (b0 < 0x80) {
      const stop = pos + 1 + b0;
      if (stop <= end) {
        r.pos = pos + 1;
        return stop;
      }
    } else if (buf[pos + 1] < 0x80) {
      const stop = pos + 2 + ((b0 & 0x7f) | (buf[pos + 1] << 7));
      if (stop <= end) {
        r.pos = pos + 2;
        return stop;
      }
    }
  }
  return r.lengthEnd(end);
}

/** Whether `buf[start, stop)` is all ASCII, four bytes at a time as ProtoReader.stringAt checks. */
export function isAscii(r: ProtoReader, start: number, stop: number): boolean {
  let bits = 0;
  if (stop - start >= 4) {
    const view = r.view;
    // The last word may overlap the one before it: the OR does not mind.
    for (let i = start; i < stop - 4; i += 4) bits |= view.getInt32(i, true);
    bits |= view.getInt32(stop - 4, true);
  } else for (let i = start; i < stop; i++) bits |= r.buf[i];
  return (bits & 0x80808080) === 0;
}

/** Clears `r.verbatim` when `buf[start, stop)` is not UTF-8: the decoder would read U+FFFD there. */
export function checkUtf8(r: ProtoReader, start: number, stop: number): void {
  if (!isAscii(r, start, stop) && !isValidUtf8(r.buf, start, stop)) r.verbatim = false;
}

/** Steps over a string field; clears `r.verbatim` where the decoder would read U+FFFD (ProtoReader.utf8At). */
export function skipString(r: ProtoReader, end: number): void {
  const stop = lengthEnd(r, end);
  const start = r.pos;
  r.pos = stop;
  checkUtf8(r, start, stop);
}

/** Steps over an int64 varint, as ProtoReader.int64 reads it (at most 10 bytes). */
export function skipInt64(r: ProtoReader, end: number): void {
  const buf = r.buf;
  let pos = r.pos;
  for (let bytes = 0; ; bytes++) {
    if (pos >= end) throw truncated(r, end);
    if (bytes === 10) throw new ProtobufDecodeError(`varint longer than 10 bytes at byte ${r.pos}`);
    if (buf[pos++] < 0x80) break;
  }
  r.pos = pos;
}

/** Steps over a fixed32 (4) or fixed64/double (8) field. */
export function skipFixed(r: ProtoReader, bytes: 4 | 8, end: number): void {
  if (r.pos + bytes > end) throw truncated(r, end);
  r.pos += bytes;
}

/** ProtoReader's (private) truncation error, word for word. */
function truncated(r: ProtoReader, end: number): ProtobufDecodeError {
  return new ProtobufDecodeError(
    `truncated message: unexpected end of input at byte ${Math.min(r.pos, end)}`,
  );
}
