import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeExportTraceServiceRequestJson } from '../../../otlp/json/decode-traces-json.js';
import type { CompactTrace } from './compact-trace-format.js';
import { encodeCompactTrace, relativeNanos } from './encode-compact-trace.js';

/*
 * The corpus pair testdata/every-field.{otlp,compact}.json is the contract between this encoder and
 * the UI's decoder (ui/src/trace/decode-compact-trace.test.ts reads both files and checks that the
 * compact form decodes to what the OTLP/JSON reads as). UPDATE_CORPUS=1 rewrites the compact file.
 */
const TESTDATA = new URL('./testdata/', import.meta.url);
const TRACE_ID = '5b8efff798038103d269b633813fc600';

function encodeCorpus(): CompactTrace {
  const otlp: unknown = JSON.parse(readFileSync(new URL('every-field.otlp.json', TESTDATA), 'utf8'));
  return encodeCompactTrace(TRACE_ID, decodeExportTraceServiceRequestJson(otlp));
}

describe('encodeCompactTrace', () => {
  const compact = encodeCorpus();
  const spanAt = (id: string) => compact.spans.spanId.indexOf(id);

  it('matches the corpus file the UI decoder is tested against', () => {
    const file = new URL('every-field.compact.json', TESTDATA);
    if (process.env.UPDATE_CORPUS === '1') writeFileSync(file, `${JSON.stringify(compact, null, 1)}\n`);
    expect(JSON.parse(JSON.stringify(compact))).toEqual(JSON.parse(readFileSync(file, 'utf8')));
  });

  it('orders spans by start and keeps times exact relative to the earliest start', () => {
    expect(compact.startUnixNano).toBe('1795629961023456789');
    expect(compact.spans.spanId).toEqual([
      '00000000000000b1',
      '00000000000000a1',
      '00000000000000d1',
      '00000000000000c1',
      '00000000000000e1',
    ]);
    const c1 = spanAt('00000000000000c1');
    expect(compact.spans.start[c1]).toBe(100_000_212);
    expect(compact.spans.duration[c1]).toBe(399_999_998);
    // 200 days after the start is past 2^53 ns: text, not a rounded number.
    expect(compact.spans.start[spanAt('00000000000000e1')]).toBe('17280000100000000');
    const events = compact.events.span.map((s, e) => [s, compact.events.time[e]]);
    expect(events).toEqual([
      [c1, 176_543_212],
      [c1, 76_543_211],
    ]);
  });

  it('writes parents as positions, -1 for roots, and the id of a parent not in the trace', () => {
    const a1 = spanAt('00000000000000a1');
    expect(compact.spans.parent[a1]).toBe(-1);
    expect(compact.spans.parent[spanAt('00000000000000c1')]).toBe(a1);
    expect(compact.spans.parent[spanAt('00000000000000d1')]).toBe('00000000000000ff');
  });

  it('codes every string once and every scalar value once, keeping int, double and string apart', () => {
    expect(new Set(compact.strings).size).toBe(compact.strings.length);
    expect(compact.strings[0]).toBe('');
    const c1 = spanAt('00000000000000c1');
    const start = compact.spans.attributeCount.slice(0, c1).reduce((a, b) => a + 2 * b, 0);
    const pairs = compact.spans.attributes.slice(start, start + 2 * compact.spans.attributeCount[c1]);
    const attributes = new Map<string, unknown>();
    for (let i = 0; i < pairs.length; i += 2)
      attributes.set(compact.strings[pairs[i]], compact.values[pairs[i + 1]]);
    expect(Object.fromEntries(attributes)).toMatchObject({
      s: 'GET',
      'empty string': '',
      b: { boolValue: false },
      i: { intValue: '9007199254740993' },
      negative: { intValue: '-9223372036854775808' },
      'int three': { intValue: '3' },
      'double three': { doubleValue: 3 },
      'string three': '3',
      nan: { doubleValue: 'NaN' },
      inf: { doubleValue: '-Infinity' },
      bytes: { bytesValue: '3q2+7w==' },
      none: {},
    });
    // "GET" is one value however many spans and arrays hold it.
    expect(compact.values.filter((v) => v === 'GET')).toHaveLength(1);
  });

  it('encodes an empty trace', () => {
    const empty = encodeCompactTrace(TRACE_ID, []);
    expect(empty.spans.spanId).toEqual([]);
    expect(empty.startUnixNano).toBe('0');
  });
});

describe('relativeNanos', () => {
  it('is a number up to 2^53 either way and decimal text beyond', () => {
    const max = BigInt(Number.MAX_SAFE_INTEGER);
    expect(relativeNanos(10n + max, 10n)).toBe(Number.MAX_SAFE_INTEGER);
    expect(relativeNanos(11n + max, 10n)).toBe('9007199254740992');
    expect(relativeNanos(0n, max + 1n)).toBe('-9007199254740992');
    expect(relativeNanos(5n, 7n)).toBe(-2);
  });
});
