import type { TracesData } from '../../model/span.js';
import { encodeSpanRows } from '../../store/rows/encode-span-rows.js';
import { encodeTraceSpanRows } from '../../store/rows/encode-trace-span-rows.js';
import type { SpanRowsFormat } from '../../store/trace-store.js';

/**
 * One write-ahead-log record of the store: the tenant, then the batch's rows ready to go to
 * ClickHouse as they are. Three layouts, told apart by the first byte:
 *
 * - `0xFF` (current): the tenant's length in the next byte, the tenant (UTF-8), the byte length of
 *   the copy's block (UInt32, little-endian), the Native block of `tracehouse_trace_spans` rows
 *   (layout 3), then the Native block of `otel_traces` rows.
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
 * The record of a batch, in the current layout. Each block is encoded after what precedes it, in
 * one buffer per block: the rows are not copied once more to be put behind a header.
 */
export function encodeStoreRecord(tenant: string, data: TracesData): Buffer {
  const tenantBytes = tenantBytesOf(tenant);
  const header = Buffer.allocUnsafe(2 + tenantBytes.length + COPY_LENGTH_BYTES);
  header[0] = WITH_COPY;
  header[1] = tenantBytes.length;
  tenantBytes.copy(header, 2);
  const withCopy = encodeTraceSpanRows(data, header);
  withCopy.writeUInt32LE(withCopy.length - header.length, header.length - COPY_LENGTH_BYTES);
  return encodeSpanRows(data, withCopy);
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
