import { describe, expect, it } from 'vitest';
import type { KeyValue } from '../../model/attributes.js';
import { decodeExportTraceServiceRequestVerbatim } from '../../otlp/protobuf/decode-traces.js';
import { encodeExportTraceServiceRequest } from '../../otlp/protobuf/encode-traces.js';
import { attachRequestBytes } from '../../model/request-bytes.js';
import { batch, span } from '../../processors/processor-test-support.js';
import { ATTRIBUTE_TYPE_CODES } from '../schema/attribute-types.js';
import { RowBinaryWriter } from '../rowbinary/rowbinary-writer.js';
import { receivedFor, writeTypeMap } from './attribute-columns.js';
import { ReceivedSpanStrings } from '../../otlp/protobuf/received-span-strings.js';
import { SpanFieldCursor } from '../../otlp/protobuf/span-field-cursor.js';

/** The type map writeTypeMap writes for `attributes`: its keys and type names, in order. */
function typeMap(attributes: KeyValue[], fromBytes: boolean): [string[], string[]] {
  const keys = new RowBinaryWriter(256);
  const values = new RowBinaryWriter(256);
  let received;
  if (fromBytes) {
    const bytes = encodeExportTraceServiceRequest(batch([span({ attributes })]));
    const { data, spanFields } = decodeExportTraceServiceRequestVerbatim(bytes);
    attachRequestBytes(data, [bytes], [spanFields]);
    const cursor = SpanFieldCursor.over(data)!;
    cursor.next();
    const strings = new ReceivedSpanStrings();
    expect(strings.scan(cursor.bytes, cursor.start, cursor.end)).toBe(true);
    received = receivedFor(attributes, strings.attributes);
    expect(received).toBeDefined();
  }
  const count = writeTypeMap(keys, values, attributes, received);
  const names = Object.keys(ATTRIBUTE_TYPE_CODES);
  const keyBytes = keys.take();
  const out: string[] = [];
  for (let at = 0; out.length < count;) {
    const length = keyBytes[at]; // every key here is under 128 bytes: a one-byte length
    out.push(keyBytes.subarray(at + 1, at + 1 + length).toString());
    at += 1 + length;
  }
  return [out, [...values.take()].map((code) => names[code])];
}

describe('writeTypeMap', () => {
  it.each([false, true])(
    'writes a type for each attribute of a key repeated with a non-string, strings too (from bytes: %s)',
    (fromBytes) => {
      const attributes: KeyValue[] = [
        { key: 'dup', value: 1n },
        { key: 's', value: 'x' },
        { key: 'dup', value: 'two' },
        { key: 'strings', value: 'a' },
        { key: 'strings', value: 'b' },
        { key: 'same', value: 1.5 },
        { key: 'same', value: 2.5 },
        { key: 'du', value: 'not dup' },
        { key: 'dup', value: [1n] },
      ];
      expect(typeMap(attributes, fromBytes)).toEqual([
        ['dup', 'dup', 'same', 'same', 'dup'],
        ['int', 'string', 'double', 'double', 'array'],
      ]);
    },
  );
});
