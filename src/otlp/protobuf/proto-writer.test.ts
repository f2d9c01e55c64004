import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import type { KeyValue } from '../../model/attributes.js';
import type { TracesData } from '../../model/span.js';
import { decodeExportTraceServiceRequest } from './decode-traces.js';
import { encodeExportTraceServiceRequest } from './encode-traces.js';
import { ProtoReader } from './proto-reader.js';
import { ProtoWriter } from './proto-writer.js';

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Strings around every boundary of the writer's fast paths, ASCII or not. */
const LONG = 'L'.repeat(300);
const TRICKY_STRINGS = [
  'é',
  'naïve',
  '日本語のスパン名',
  'x'.repeat(100) + '☃',
  '\u{1F600}', // a surrogate pair
  'ascii-only',
  '\ud800', // a lone high surrogate: UTF-8 has no form for it, written as U+FFFD like utf8Write
  'a\udc00b', // a lone low surrogate
  LONG,
  LONG + 'é',
  'k'.repeat(121),
  'k'.repeat(122),
  'x'.repeat(127),
  'x'.repeat(128),
  'y'.repeat(20000),
];

function resourceWith(attributes: KeyValue[]): TracesData {
  return [{ resource: { attributes, droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [] }];
}

/** What a string field must hold: exactly Buffer's UTF-8 (lone surrogates become EF BF BD). */
function readString(bytes: Buffer): Buffer {
  const r = new ProtoReader(bytes);
  expect(r.uint32(bytes.length)).toBe((1 << 3) | 2);
  const end = r.lengthEnd(bytes.length);
  expect(end).toBe(bytes.length);
  return bytes.subarray(r.pos, end);
}

describe('ProtoWriter', () => {
  it('writes every string as its UTF-8 bytes, through the ASCII loop or not', () => {
    // Around UTF8_CALL_MIN (32 units) and a one-byte length (127 bytes) for the one-call path.
    const aroundCall = ['a'.repeat(31), 'a'.repeat(32), 'é'.repeat(32), 'é'.repeat(63), 'é'.repeat(64)];
    aroundCall.push(
      '日'.repeat(42),
      '日'.repeat(43),
      'a'.repeat(31) + '\u{1F600}',
      'b'.repeat(40) + '\ud800',
    );
    for (const text of [...TRICKY_STRINGS, ...aroundCall, 'a', '\x7f', '\x00', '\x80']) {
      const w = new ProtoWriter(4);
      w.stringField(1, text);
      expect(readString(w.finish())).toEqual(Buffer.from(text, 'utf8'));
    }
  });

  it('writes a short ASCII key/value attribute the same as the general path, and declines the rest', () => {
    const cases: [string, string, boolean][] = [
      ['k', '', true],
      ['http.route', '/users/:id', true],
      ['k'.repeat(60), 'v'.repeat(61), true], // 121 characters: the longest that fits
      ['k'.repeat(60), 'v'.repeat(62), false],
      ['', 'empty key', false],
      ['clé', 'value', false],
      ['key', 'valé', false],
      ['key', '\u{1F600}', false],
      ['k', 'v'.repeat(32), true], // long enough for the utf8Write path
      ['k', 'é'.repeat(40), false],
      ['k', 'a'.repeat(40) + '\ud800', false],
    ];
    for (const [key, value, fast] of cases) {
      const fastWriter = new ProtoWriter(1);
      expect(fastWriter.asciiStringKeyValue(9, key, value)).toBe(fast);
      const general = new ProtoWriter(1);
      general.beginMessage(9);
      general.stringField(1, key);
      general.beginMessage(2);
      general.stringField(1, value, true);
      general.endMessage();
      general.endMessage();
      if (fast) expect(fastWriter.finish()).toEqual(general.finish());
      else expect(fastWriter.finish()).toHaveLength(0);
    }
  });

  it('writes a small int attribute the same as the general path, and declines the rest', () => {
    const cases: [string, bigint, boolean][] = [
      ['k', 0n, true],
      ['http.response.status_code', 200n, true],
      ['k', 127n, true],
      ['k', 128n, true],
      ['k', 2n ** 53n - 1n, true],
      ['k', 2n ** 53n, false],
      ['k', -1n, false],
      ['k'.repeat(121), 0n, true], // a KeyValue of 127 bytes: the longest that fits
      ['k'.repeat(122), 0n, false],
      ['', 1n, false],
      ['clé', 1n, false],
    ];
    for (const [key, value, fast] of cases) {
      const fastWriter = new ProtoWriter(1);
      expect(fastWriter.asciiIntKeyValue(9, key, value)).toBe(fast);
      const general = new ProtoWriter(1);
      general.beginMessage(9);
      general.stringField(1, key);
      general.beginMessage(2);
      general.int64Field(3, value);
      general.endMessage();
      general.endMessage();
      if (fast) expect(fastWriter.finish()).toEqual(general.finish());
      else expect(fastWriter.finish()).toHaveLength(0);
    }
  });

  it('keeps length prefixes minimal whatever the reserved size', () => {
    for (const reserve of [1, 2, 3])
      for (const size of [0, 1, 127, 128, 16383, 16384, 70000]) {
        const w = new ProtoWriter(2);
        w.beginMessage(1, reserve);
        w.bytesField(1, new Uint8Array(size).fill(7), true);
        w.endMessage();
        const out = w.finish();
        const inner = size + 1 + (size < 128 ? 1 : size < 16384 ? 2 : 3);
        const r = new ProtoReader(out);
        r.uint32(out.length);
        expect(r.lengthEnd(out.length) - r.pos).toBe(inner);
        expect(out.length).toBe(r.pos + inner);
      }
  });

  it('writes ids as bytes, upper or lower case, and refuses anything else without writing', () => {
    const w = new ProtoWriter(1);
    w.hexField(1, '00ffAbCd');
    expect([...w.finish()]).toEqual([0x0a, 4, 0x00, 0xff, 0xab, 0xcd]);
    for (const bad of ['0g', 'abc', '\u0130\u0130', 'zz00']) {
      const writer = new ProtoWriter(1);
      expect(() => writer.hexField(1, bad)).toThrow(TypeError);
      expect(writer.finish()).toHaveLength(0);
    }
  });

  it('writes int64 and fixed64 extremes in two’s complement', () => {
    const w = new ProtoWriter(1);
    w.int64Field(1, -1n);
    w.int64Field(1, 2n ** 53n - 1n);
    w.int64Field(1, 2n ** 63n - 1n);
    w.fixed64Field(2, -2n);
    w.fixed64Field(2, 2n ** 64n - 1n);
    w.fixed64Field(2, 1_700_000_000_123_456_789n);
    const out = w.finish();
    const r = new ProtoReader(out);
    const end = out.length;
    const read: bigint[] = [];
    while (r.pos < end)
      read.push((r.uint32(end) & 7) === 0 ? r.int64(end) : BigInt.asUintN(64, r.fixed64(end)));
    expect(read).toEqual([
      -1n,
      2n ** 53n - 1n,
      2n ** 63n - 1n,
      2n ** 64n - 2n,
      2n ** 64n - 1n,
      1_700_000_000_123_456_789n,
    ]);
  });
});

describe('encodeExportTraceServiceRequest', () => {
  /*
   * SHA-256 of what the encoder wrote before its fast paths (commit 8ea2307, plain
   * byteLength/utf8Write per string, one reserved length byte per message): the fast paths must
   * not change a single byte of canonical output.
   */
  it('writes the same bytes as the encoder before its fast paths', () => {
    const golden = [
      '243b18091e66cfdd3f985e2a6929324bdd9a78d9db9e1740a71ea38db2d5ad05',
      '179629b06764deb8f775fddc97a00b13c961abebfaf0999ec7fac316ce7ea02c',
      '925424cc8575eacef0792025d7f021e649ad16db6acbd617c6573e854eab357f',
    ];
    [1, 2, 3].forEach((seed, i) =>
      expect(sha256(encodeExportTraceServiceRequest(makeRealisticBatch(512, seed)))).toBe(golden[i]),
    );
    const tricky = resourceWith(TRICKY_STRINGS.map((n, i) => ({ key: `k${i}${n}`, value: n })));
    expect(sha256(encodeExportTraceServiceRequest(tricky))).toBe(
      'e4cf8aaea1fbc0ac100722ba6f103ff4d3acf67cd577083a203f4ddb2e8bcd66',
    );
  });

  it('round-trips the strings around every fast-path boundary (lone surrogates become U+FFFD)', () => {
    const data = resourceWith(TRICKY_STRINGS.map((n, i) => ({ key: `k${i}${n}`, value: n })));
    const wellFormed = (text: string): string => Buffer.from(text, 'utf8').toString('utf8');
    const expected = resourceWith(
      TRICKY_STRINGS.map((n, i) => ({ key: `k${i}${wellFormed(n)}`, value: wellFormed(n) })),
    );
    expect(decodeExportTraceServiceRequest(encodeExportTraceServiceRequest(data))).toEqual(expected);
  });
});
