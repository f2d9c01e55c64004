import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  KeyValueRecord,
  newList,
  SpanEventRecord,
  SpanLinkRecord,
  SpanRecord,
  StatusRecord,
} from './model-records.js';

describe('model records', () => {
  it('make plain objects, deep-strict-equal to the literals the model describes, keys in order', () => {
    const status = new StatusRecord(2, 'boom');
    const kv = new KeyValueRecord('http.route', '/items/:id');
    const event = new SpanEventRecord(5n, 'retry', [kv], 1);
    const link = new SpanLinkRecord('ab'.repeat(16), 'cd'.repeat(8), 'k=v', [], 0, 256);
    const span = new SpanRecord(
      'ab'.repeat(16),
      'cd'.repeat(8),
      '',
      '',
      1,
      'GET',
      2,
      1n,
      2n,
      [kv],
      0,
      [event],
      0,
      [link],
      0,
      status,
    );
    const literals: [object, object][] = [
      [status, { code: 2, message: 'boom' }],
      [kv, { key: 'http.route', value: '/items/:id' }],
      [event, { timeUnixNano: 5n, name: 'retry', attributes: [kv], droppedAttributesCount: 1 }],
      [
        link,
        {
          traceId: 'ab'.repeat(16),
          spanId: 'cd'.repeat(8),
          traceState: 'k=v',
          attributes: [],
          droppedAttributesCount: 0,
          flags: 256,
        },
      ],
      [
        span,
        {
          traceId: 'ab'.repeat(16),
          spanId: 'cd'.repeat(8),
          traceState: '',
          parentSpanId: '',
          flags: 1,
          name: 'GET',
          kind: 2,
          startTimeUnixNano: 1n,
          endTimeUnixNano: 2n,
          attributes: [kv],
          droppedAttributesCount: 0,
          events: [event],
          droppedEventsCount: 0,
          links: [link],
          droppedLinksCount: 0,
          status,
        },
      ],
    ];
    for (const [record, literal] of literals) {
      expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
      expect(Object.keys(record)).toEqual(Object.keys(literal));
      expect(isDeepStrictEqual(record, literal)).toBe(true);
      expect(structuredClone(record)).toStrictEqual(literal);
    }
  });

  it('newList gives a fresh array every time', () => {
    const a = newList<number>();
    const b = newList<number>();
    a.push(1);
    expect(a).toEqual([1]);
    expect(b).toEqual([]);
    expect(newList<number>()).toEqual([]);
    expect(Array.isArray(a)).toBe(true);
  });
});
