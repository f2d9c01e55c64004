import { describe, expect, it } from 'vitest';
import { emptySpan } from './factories.js';
import type { Span, TracesData } from './span.js';
import { removeInvalidSpans } from './validate-spans.js';

const good: Span = {
  ...emptySpan(),
  traceId: '5b8efff798038103d269b633813fc60c',
  spanId: 'eee19b7ec3c1b174',
  name: 'good',
};

function batch(spans: Span[]): TracesData {
  return [
    {
      resource: { attributes: [], droppedAttributesCount: 0 },
      schemaUrl: '',
      scopeSpans: [
        { scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', spans },
      ],
    },
  ];
}

describe('removeInvalidSpans', () => {
  it('keeps valid spans untouched and reports nothing', () => {
    const data = batch([good, { ...good, parentSpanId: '0102030405060708' }]);
    expect(removeInvalidSpans(data)).toEqual({ rejectedSpans: 0, errorMessage: '' });
    expect(data[0].scopeSpans[0].spans).toHaveLength(2);
  });

  it('removes each kind of invalid id, keeps order of the rest, and names the first three', () => {
    const data = batch([
      { ...good, name: 'a', traceId: 'abcd' },
      good,
      { ...good, name: 'b', traceId: '0'.repeat(32) },
      { ...good, name: 'c', spanId: '0'.repeat(16) },
      { ...good, name: 'd', parentSpanId: 'abcdef' },
      { ...good, name: 'e', spanId: '' },
      { ...good, name: 'last' },
    ]);
    expect(removeInvalidSpans(data)).toEqual({
      rejectedSpans: 5,
      errorMessage:
        'rejected 5 invalid span(s): span "a": trace id "abcd" is 2 bytes, not 16; ' +
        'span "b": trace id is all zeros; span "c": span id is all zeros (and 2 more)',
    });
    expect(data[0].scopeSpans[0].spans.map((s) => s.name)).toEqual(['good', 'last']);
  });

  it('removes spans with a time past 2106 (32-bit DateTime seconds), keeps the last storable nanosecond', () => {
    const last = 2n ** 32n * 1_000_000_000n - 1n;
    const event = { timeUnixNano: last + 1n, name: 'late', attributes: [], droppedAttributesCount: 0 };
    const data = batch([
      { ...good, name: 'start', startTimeUnixNano: 2n ** 64n - 1n },
      { ...good, name: 'end', endTimeUnixNano: last + 1n },
      { ...good, name: 'event', events: [event] },
      { ...good, name: 'edge', startTimeUnixNano: last, endTimeUnixNano: last },
    ]);
    expect(removeInvalidSpans(data)).toEqual({
      rejectedSpans: 3,
      errorMessage:
        'rejected 3 invalid span(s): span "start": start time 18446744073709551615 ns is past ' +
        '2106-02-07T06:28:15Z, the last time that can be stored; span "end": end time 4294967296000000000 ns ' +
        'is past 2106-02-07T06:28:15Z, the last time that can be stored; span "event": event "late"\'s time ' +
        '4294967296000000000 ns is past 2106-02-07T06:28:15Z, the last time that can be stored',
    });
    expect(data[0].scopeSpans[0].spans.map((s) => s.name)).toEqual(['edge']);
  });
});
