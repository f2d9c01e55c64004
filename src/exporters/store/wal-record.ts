/**
 * One write-ahead-log record of the store: the tenant, then the batch's spans as RowBinary rows
 * of `otel_traces`, ready to go to ClickHouse as they are. Layout: tenant length (1 byte), tenant
 * (UTF-8, at most 64 bytes after validation), rows.
 */
export function encodeStoreRecord(tenant: string, rows: Buffer): Buffer {
  const tenantBytes = Buffer.from(tenant, 'utf8');
  if (tenantBytes.length > 255)
    throw new RangeError(`tenant name of ${tenantBytes.length} bytes is too long`);
  const record = Buffer.allocUnsafe(1 + tenantBytes.length + rows.length);
  record[0] = tenantBytes.length;
  tenantBytes.copy(record, 1);
  rows.copy(record, 1 + tenantBytes.length);
  return record;
}

export function decodeStoreRecord(record: Buffer): { tenant: string; rows: Buffer } {
  const length = record[0];
  return { tenant: record.toString('utf8', 1, 1 + length), rows: record.subarray(1 + length) };
}
