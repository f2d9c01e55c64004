import type { KeyValue } from '../../model/attributes.js';
import { isCanonicalInt64, isCanonicalScalarKeyValue } from './canonical-bytes.js';
import { decodeKeyValue } from './decode-any-value.js';
import { KeyValueRecord, SourcedKeyValueRecord } from './model-records.js';
import type { ProtoReader } from './proto-reader.js';
import { AV_INT, AV_STRING, KV_KEY, KV_VALUE } from './trace-field-tags.js';

/*
 * The attribute decoding of decode-traces.ts for a reader that keeps sources (a processor worker,
 * decodeExportTraceServiceRequestWithSources): each attribute whose bytes say exactly its key and
 * scalar value becomes a SourcedKeyValueRecord, for the encoder to copy if no processor changes it.
 * "Exactly" is the canonical encoding (canonical-bytes.ts): a copy must be what a fresh encode
 * writes, so an attribute with its fields swapped, padded varints or an empty key written out is
 * decoded to a plain record and encoded again.
 *
 * Why a copy of decodeAttributes' fast path rather than a branch in it: its size is tuned to V8's
 * inlining budget (see decodeAttributes), one more constructor call there once stopped V8 inlining
 * it where it should (`--trace-turbo-inlining`), which the main thread's decode of every request
 * pays; and turning its records into sourced ones
 * afterwards made two objects per attribute in the worker, whose decode is on the critical path.
 */

/** A run of attributes of field tag `fieldTag`, as decodeAttributes in decode-traces.ts. */
export function decodeAttributesWithSources(
  r: ProtoReader,
  end: number,
  out: KeyValue[],
  fieldTag: number,
): void {
  for (;;) {
    decodeSourcedAttribute(r, end, out);
    if (r.pos >= end || r.buf[r.pos] !== fieldTag) return;
    r.pos++;
  }
}

/** The fast path of decodeAttributes (decode-traces.ts) making SourcedKeyValueRecords: `[start, end)` is the length and body. */
function decodeSourcedAttribute(r: ProtoReader, end: number, out: KeyValue[]): void {
  const buf = r.buf;
  const start = r.pos;
  const kvEnd = start + 1 + buf[start];
  if (buf[start] < 0x80 && kvEnd <= end && buf[start + 1] === KV_KEY && buf[start + 2] < 0x80) {
    const keyStart = start + 3;
    const keyEnd = keyStart + buf[start + 2];
    const valueEnd = keyEnd + 2 + buf[keyEnd + 1];
    if (keyEnd + 2 < kvEnd && buf[keyEnd] === KV_VALUE && buf[keyEnd + 1] < 0x80 && valueEnd === kvEnd) {
      const valueTag = buf[keyEnd + 2];
      let value: string | bigint = '';
      if (valueTag === AV_STRING && buf[keyEnd + 3] < 0x80 && keyEnd + 4 + buf[keyEnd + 3] === valueEnd) {
        value = r.stringAt(keyEnd + 4, valueEnd);
        r.pos = valueEnd;
      } else if (valueTag === AV_INT) {
        r.pos = keyEnd + 3;
        value = r.int64(valueEnd);
      }
      if (r.pos === valueEnd) {
        const key = r.keyAt(keyStart, keyEnd);
        // `verbatim` only ever goes from true to false: still true, these bytes say exactly this
        // KeyValue (a string read as U+FFFD clears it). An empty key is a default a fresh encode
        // leaves out; an int may be padded.
        const canonical =
          r.verbatim &&
          keyEnd > keyStart &&
          (valueTag === AV_STRING || isCanonicalInt64(buf, keyEnd + 3, valueEnd));
        out.push(
          canonical ? new SourcedKeyValueRecord(key, value, start, kvEnd) : new KeyValueRecord(key, value),
        );
        return;
      }
    }
  }
  decodeOtherAttribute(r, start, end, out);
}

/**
 * An attribute of another shape than the fast path's, through the general KeyValue decoder. Out
 * of line: with it inline, decodeSourcedAttribute grew past what V8 inlines into
 * decodeAttributesWithSources (`--trace-turbo-inlining`), and the worker decoded ~10% slower.
 */
function decodeOtherAttribute(r: ProtoReader, start: number, end: number, out: KeyValue[]): void {
  r.pos = start;
  const stop = r.lengthEnd(end);
  decodeKeyValue(r, stop, out);
  r.pos = stop;
  if (r.verbatim) sourceLast(r.buf, out, start, stop);
}

/**
 * Gives the KeyValue just decoded its source, if its value cannot change in place (not bytes,
 * array or kvlist) and its bytes are its canonical encoding.
 */
function sourceLast(buf: Uint8Array, out: KeyValue[], start: number, end: number): void {
  const kv = out[out.length - 1];
  if (kv.value !== null && typeof kv.value === 'object') return;
  if (!isCanonicalScalarKeyValue(buf, start, end, kv.key, kv.value)) return;
  out[out.length - 1] = new SourcedKeyValueRecord(kv.key, kv.value, start, end);
}
