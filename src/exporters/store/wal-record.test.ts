import { describe, expect, it } from 'vitest';
import { attrs, batch, span } from '../../processors/processor-test-support.js';
import { encodeSpanRows } from '../../store/rows/encode-span-rows.js';
import { encodeTraceSpanRows } from '../../store/rows/encode-trace-span-rows.js';
import {
  decodeStoreRecord,
  encodeNativeStoreRecord,
  encodeStoreRecord,
  storeRecordHeader,
} from './wal-record.js';

describe('store write-ahead-log records', () => {
  const data = batch([
    span({ name: 'a', attributes: attrs({ 'http.route': '/x', n: 3 }) }),
    span({ name: 'b' }),
  ]);

  it("carry both tables' blocks, encoded behind the header", () => {
    expect(decodeStoreRecord(encodeStoreRecord('tenant-é', data))).toEqual({
      tenant: 'tenant-é',
      format: 'Native',
      rows: encodeSpanRows(data),
      traceSpanRows: encodeTraceSpanRows(data),
    });
  });

  it('of the layout before the copy still decode, without copy rows', () => {
    const older = encodeNativeStoreRecord('t'.repeat(64), encodeSpanRows(data));
    expect(decodeStoreRecord(older)).toEqual({
      tenant: 't'.repeat(64),
      format: 'Native',
      rows: encodeSpanRows(data),
    });
  });

  it('own their bytes: encoding the next batch, or failing to, leaves an earlier record as it was', () => {
    const other = batch([span({ name: 'c', traceId: 'ef'.repeat(16), attributes: attrs({ k: 'v' }) })]);
    const first = encodeStoreRecord('t', data);
    const firstBytes = Buffer.from(first);
    // A span id that is not hex cannot go into the copy's protobuf: the encode stops halfway.
    expect(() => encodeStoreRecord('t', batch([span({ spanId: 'not hex' })]))).toThrow(TypeError);
    const second = encodeStoreRecord('t', other);
    expect(first).toEqual(firstBytes);
    expect(decodeStoreRecord(second)).toEqual({
      tenant: 't',
      format: 'Native',
      rows: encodeSpanRows(other),
      traceSpanRows: encodeTraceSpanRows(other),
    });
  });

  it('refuse a tenant too long for the header', () => {
    expect(() => storeRecordHeader('t'.repeat(128))).toThrow('tenant name of 128 bytes is too long');
    expect(() => encodeStoreRecord('t'.repeat(127), data)).toThrow('tenant name of 127 bytes is too long');
  });
});
