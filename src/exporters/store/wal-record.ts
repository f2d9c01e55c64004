import type { TracesData } from '../../model/span.js';
import { spanRowsParts } from '../../store/rows/encode-span-rows.js';
import { traceSpanRowsParts } from '../../store/rows/encode-trace-span-rows.js';
import type { SpanRowsFormat } from '../../store/trace-store.js';

/**
 * One write-ahead-log record of the store: the tenant, then the batch's rows ready to go to
 * ClickHouse as they are. Three layouts, told apart by the first byte:
 *
 * - `0xFF` (current): the tenant's length in the next byte, the tenant (UTF-8), the byte length of
 *   the copy's block (UInt32, little-endian), the Native block of `tracehouse_trace_spans` rows
 *   (layout 3), then the Native block of `otel_traces` rows. A copy of length 0: written while
 *   the copy was off (`--trace-copy off`); none is inserted for it.
 * - high bit set, the rest the tenant's length (records written before the copy was in the
 *   record): the tenant, the Native block of `otel_traces` rows. No first byte of this kind can be
 *   `0xFF`: a tenant is at most 64 bytes (tenant-database.ts).
 * - high bit clear (logs written before Native): the tenant's length, the tenant, RowBinary rows.
 *
 * Records without copy rows are replayed (TraceStore.replaySpanRows), which makes the copy's rows
 * from the `otel_traces` rows by SQL, in layout 2.
 */
export interface StoreRecord {
  tenant: string;
  format: SpanRowsFormat;
  rows: Buffer;
  /** The copy's rows (a Native block); absent in records written before they were in the record. */
  traceSpanRows?: Buffer;
}

const NATIVE_FLAG = 0x80;
const WITH_COPY = 0xff;
const COPY_LENGTH_BYTES = 4;

/** The bytes an older Native record starts with: the flagged tenant length and the tenant. */
export function storeRecordHeader(tenant: string): Buffer {
  const tenantBytes = tenantBytesOf(tenant);
  const header = Buffer.allocUnsafe(1 + tenantBytes.length);
  header[0] = NATIVE_FLAG | tenantBytes.length;
  tenantBytes.copy(header, 1);
  return header;
}

/** A record in the layout before the copy's rows were in it (tests of old logs). */
export function encodeNativeStoreRecord(tenant: string, rows: Buffer): Buffer {
  return Buffer.concat([storeRecordHeader(tenant), rows]);
}

/**
 * The record of a batch, in the current layout, with the copy's rows unless `withCopy` is false.
 * Both blocks are encoded into writers that are reused from batch to batch and copied once, into
 * a buffer of the record's exact size: the record is the only buffer made per batch (the log
 * keeps it until the flush has taken it).
 */
export function encodeStoreRecord(tenant: string, data: TracesData, withCopy = true): Buffer {
  const tenantBytes = tenantBytesOf(tenant);
  const headerBytes = 2 + tenantBytes.length + COPY_LENGTH_BYTES;
  const copyParts = withCopy ? traceSpanRowsParts(data) : [];
  const copyBytes = byteLength(copyParts);
  // Encoded after the copy's parts are counted: both use writers of their own, so the copy's views
  // stay valid while the otel_traces block is written.
  const rowParts = spanRowsParts(data);
  const record = Buffer.allocUnsafe(headerBytes + copyBytes + byteLength(rowParts));
  record[0] = WITH_COPY;
  record[1] = tenantBytes.length;
  tenantBytes.copy(record, 2);
  record.writeUInt32LE(copyBytes, headerBytes - COPY_LENGTH_BYTES);
  copyInto(record, copyInto(record, headerBytes, copyParts), rowParts);
  return record;
}

function byteLength(parts: readonly Buffer[]): number {
  let bytes = 0;
  for (const part of parts) bytes += part.length;
  return bytes;
}

function copyInto(target: Buffer, offset: number, parts: readonly Buffer[]): number {
  for (const part of parts) offset += part.copy(target, offset);
  return offset;
}

export function decodeStoreRecord(record: Buffer): StoreRecord {
  if (record[0] === WITH_COPY) {
    const length = record[1];
    const copyStart = 2 + length + COPY_LENGTH_BYTES;
    const copyEnd = copyStart + record.readUInt32LE(copyStart - COPY_LENGTH_BYTES);
    return {
      tenant: record.toString('utf8', 2, 2 + length),
      format: 'Native',
      rows: record.subarray(copyEnd),
      traceSpanRows: record.subarray(copyStart, copyEnd),
    };
  }
  const length = record[0] & ~NATIVE_FLAG;
  return {
    tenant: record.toString('utf8', 1, 1 + length),
    format: record[0] & NATIVE_FLAG ? 'Native' : 'RowBinary',
    rows: record.subarray(1 + length),
  };
}

function tenantBytesOf(tenant: string): Buffer {
  const tenantBytes = Buffer.from(tenant, 'utf8');
  if (tenantBytes.length >= NATIVE_FLAG - 1)
    throw new RangeError(`tenant name of ${tenantBytes.length} bytes is too long`);
  return tenantBytes;
}
