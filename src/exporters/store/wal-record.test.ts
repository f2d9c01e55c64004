import { describe, expect, it } from 'vitest';
import { attrs, batch, span } from '../../processors/processor-test-support.js';
import { encodeSpanRows } from '../../store/rows/encode-span-rows.js';
import { decodeStoreRecord, encodeStoreRecord, storeRecordHeader } from './wal-record.js';

describe('store write-ahead-log records', () => {
  const data = batch([
    span({ name: 'a', attributes: attrs({ 'http.route': '/x', n: 3 }) }),
    span({ name: 'b' }),
  ]);

  it('are the same bytes whether the rows are encoded after the header or copied behind it', () => {
    const inPlace = encodeSpanRows(data, storeRecordHeader('tenant-é'));
    expect(inPlace).toEqual(encodeStoreRecord('tenant-é', encodeSpanRows(data)));
    expect(decodeStoreRecord(inPlace)).toEqual({
      tenant: 'tenant-é',
      format: 'Native',
      rows: encodeSpanRows(data),
    });
  });

  it('refuse a tenant too long for the header', () => {
    expect(() => storeRecordHeader('t'.repeat(128))).toThrow('tenant name of 128 bytes is too long');
  });
});
