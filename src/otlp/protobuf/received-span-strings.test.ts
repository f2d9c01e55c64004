import { describe, expect, it } from 'vitest';
import { attrs, batch, span } from '../../processors/processor-test-support.js';
import { decodeExportTraceServiceRequestVerbatim } from './decode-traces.js';
import { encodeExportTraceServiceRequest } from './encode-traces.js';
import { NO_MEMBER } from './received-attributes.js';
import { ReceivedSpanStrings } from './received-span-strings.js';
import { AV_ARRAY, AV_BOOL, AV_INT, AV_STRING } from './trace-field-tags.js';

const text = (bytes: Uint8Array, start: number, end: number): string =>
  Buffer.from(bytes).toString('utf8', start, end);

/** Scans the only span of `bytes`, an encoded request. */
function scanned(bytes: Buffer): ReceivedSpanStrings {
  const { spanFields } = decodeExportTraceServiceRequestVerbatim(bytes);
  const strings = new ReceivedSpanStrings();
  expect(strings.scan(bytes, spanFields[0], spanFields[1])).toBe(true);
  return strings;
}

describe('ReceivedSpanStrings', () => {
  it("finds a span's strings, its attributes' keys, members and values, its events and links", () => {
    const s = scanned(
      encodeExportTraceServiceRequest(
        batch([
          span({
            name: 'GET /ü',
            traceState: 'a=1',
            status: { code: 2, message: 'boom' },
            attributes: attrs({ route: '/x', port: 8080, ok: true, none: null, list: ['a'], empty: '' }),
            events: [
              {
                timeUnixNano: 1n,
                name: 'retry',
                attributes: attrs({ attempt: 2 }),
                droppedAttributesCount: 0,
              },
            ],
            links: [
              {
                traceId: 'ab'.repeat(16),
                spanId: 'cd'.repeat(8),
                traceState: 'b=2',
                attributes: attrs({ peer: 'p' }),
                droppedAttributesCount: 0,
                flags: 0,
              },
            ],
          }),
        ]),
      ),
    );
    expect(text(s.bytes, s.nameStart, s.nameEnd)).toBe('GET /ü');
    expect(text(s.bytes, s.traceStateStart, s.traceStateEnd)).toBe('a=1');
    expect(text(s.bytes, s.statusMessageStart, s.statusMessageEnd)).toBe('boom');
    const a = s.attributes;
    expect(a.count).toBe(6);
    const keys = Array.from({ length: a.count }, (_, i) => text(a.bytes, a.keys.starts[i], a.keys.ends[i]));
    expect(keys).toEqual(['route', 'port', 'ok', 'none', 'list', 'empty']);
    expect(Array.from(a.members.subarray(0, 6))).toEqual([
      AV_STRING,
      AV_INT,
      AV_BOOL,
      NO_MEMBER,
      AV_ARRAY,
      AV_STRING,
    ]);
    expect(text(a.bytes, a.values.starts[0], a.values.ends[0])).toBe('/x');
    expect(a.smallInt(1)).toBe(8080);
    expect(a.values.ends[5] - a.values.starts[5]).toBe(0);
    expect(s.events.count).toBe(1);
    expect(s.scanEvent(0)).toBe(true);
    expect(text(s.bytes, s.itemStringStart, s.itemStringEnd)).toBe('retry');
    expect(s.itemAttributes.smallInt(0)).toBe(2);
    expect(s.links.count).toBe(1);
    expect(s.scanLink(0)).toBe(true);
    expect(text(s.bytes, s.itemStringStart, s.itemStringEnd)).toBe('b=2');
    expect(text(s.bytes, s.itemAttributes.values.starts[0], s.itemAttributes.values.ends[0])).toBe('p');
  });

  it('reads absent strings as empty and leaves large or negative ints to the model', () => {
    const s = scanned(
      encodeExportTraceServiceRequest(
        batch([span({ name: '', attributes: attrs({ big: 2 ** 50, neg: -1 }) })]),
      ),
    );
    expect(s.nameEnd - s.nameStart).toBe(0);
    expect(s.traceStateEnd - s.traceStateStart).toBe(0);
    expect(s.attributes.smallInt(0)).toBe(-1);
    expect(s.attributes.smallInt(1)).toBe(-1);
  });

  it('keeps the last of a repeated name, as the decoder does', () => {
    const bytes = encodeExportTraceServiceRequest(batch([span({ name: 'first' })]));
    const { spanFields } = decodeExportTraceServiceRequestVerbatim(bytes);
    // Append a second name field to the span (and to the lengths around it: one-byte ones here).
    const extra = Buffer.from([0x2a, 0x06, ...Buffer.from('second')]);
    const spanEnd = spanFields[1];
    const grown = Buffer.concat([bytes.subarray(0, spanEnd), extra, bytes.subarray(spanEnd)]);
    grown[spanFields[0] + 1] += extra.length;
    const s = new ReceivedSpanStrings();
    expect(s.scan(grown, spanFields[0], spanEnd + extra.length)).toBe(true);
    expect(text(s.bytes, s.nameStart, s.nameEnd)).toBe('second');
  });

  it('reports a span that does not parse', () => {
    const s = new ReceivedSpanStrings();
    // A span field whose length runs past where the caller says it ends.
    expect(s.scan(Buffer.from([0x12, 0x05, 0x2a, 0x01, 0x61]), 0, 4)).toBe(false);
    // A group (wire type 3), which OTLP never has.
    expect(s.scan(Buffer.from([0x12, 0x01, 0x0b]), 0, 3)).toBe(false);
  });
});
