import type { SpanRowsFormat } from '../../store/trace-store.js';

/**
 * One write-ahead-log record of the store: the tenant, then the batch's spans as rows of
 * `otel_traces` ready to go to ClickHouse as they are. Layout: a first byte holding the tenant's
 * length (at most 64 bytes after validation) with the high bit set for Native rows, the tenant
 * (UTF-8), the rows. Logs written before the Native format have the high bit clear: RowBinary.
 */
export interface StoreRecord {
  tenant: string;
  format: SpanRowsFormat;
  rows: Buffer;
}

const NATIVE_FLAG = 0x80;

/** The bytes a record starts with: the flagged tenant length and the tenant; its Native rows follow. */
export function storeRecordHeader(tenant: string): Buffer {
  const tenantBytes = Buffer.from(tenant, 'utf8');
  if (tenantBytes.length >= NATIVE_FLAG)
    throw new RangeError(`tenant name of ${tenantBytes.length} bytes is too long`);
  const header = Buffer.allocUnsafe(1 + tenantBytes.length);
  header[0] = NATIVE_FLAG | tenantBytes.length;
  tenantBytes.copy(header, 1);
  return header;
}

/** A whole record of Native `rows`; the store exporter encodes its rows after the header instead. */
export function encodeStoreRecord(tenant: string, rows: Buffer): Buffer {
  return Buffer.concat([storeRecordHeader(tenant), rows]);
}

export function decodeStoreRecord(record: Buffer): StoreRecord {
  const length = record[0] & ~NATIVE_FLAG;
  return {
    tenant: record.toString('utf8', 1, 1 + length),
    format: record[0] & NATIVE_FLAG ? 'Native' : 'RowBinary',
    rows: record.subarray(1 + length),
  };
}
