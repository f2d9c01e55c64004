import { isUtf8 } from 'node:buffer';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { describe, expect, it } from 'vitest';
import { makeRealisticBatch } from '../../../bench/realistic-batch.js';
import { everyKindBatch } from '../../../test/support/every-kind-batch.js';
import { makeSdkSpans } from '../../../test/support/sdk-spans.js';
import { countSpans, emptySpan } from '../../model/factories.js';
import type { TracesData } from '../../model/span.js';
import { lastStorableTime, limitStorableTimes } from '../../model/storable-times.js';
import { removeInvalidSpans } from '../../model/validate-spans.js';
import { decodeExportTraceServiceRequestVerbatim } from './decode-traces.js';
import { encodeExportTraceServiceRequest } from './encode-traces.js';
import { ProtoWriter } from './proto-writer.js';
import { ProtobufDecodeError } from './protobuf-decode-error.js';
import type { TraceScanVerdict } from './scan-traces.js';
import { scanExportTraceServiceRequest } from './scan-traces.js';
import { isValidUtf8 } from './valid-utf8.js';

type Outcome = { verdict: TraceScanVerdict; spans: number } | { error: string };

/** The oracle: what the receiver's decode path concludes about a request. */
function decoded(bytes: Buffer): Outcome {
  try {
    const { data, verbatim } = decodeExportTraceServiceRequestVerbatim(bytes);
    const spans = countSpans(data);
    const { rejectedSpans } = removeInvalidSpans(data);
    return { verdict: !verbatim ? 'not-verbatim' : rejectedSpans > 0 ? 'has-invalid-spans' : 'ok', spans };
  } catch (error) {
    if (error instanceof ProtobufDecodeError) return { error: error.message };
    throw error;
  }
}

function scanned(bytes: Buffer): Outcome {
  try {
    const { verdict, spans } = scanExportTraceServiceRequest(bytes);
    return { verdict, spans };
  } catch (error) {
    if (error instanceof ProtobufDecodeError) return { error: error.message };
    throw error;
  }
}

/** A small seeded generator, so a failure names a reproducible input. */
function random(seed: number): (n: number) => number {
  let state = seed >>> 0 || 1;
  return (n) => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) % n;
  };
}

function oneSpan(span: Partial<ReturnType<typeof emptySpan>>, resourceKey = 'service.name'): TracesData {
  return [
    {
      resource: { attributes: [{ key: resourceKey, value: 'checkout' }], droppedAttributesCount: 0 },
      schemaUrl: '',
      scopeSpans: [
        {
          scope: { name: 'lib', version: '1', attributes: [], droppedAttributesCount: 0 },
          schemaUrl: '',
          spans: [
            { ...emptySpan(), traceId: '5b'.repeat(16), spanId: 'ee'.repeat(8), name: 'GET /', ...span },
          ],
        },
      ],
    },
  ];
}

/** One span written by hand, with `extra` fields appended to the span (or the resource spans). */
function handWritten(extra: { span?: (w: ProtoWriter) => void; rs?: (w: ProtoWriter) => void }): Buffer {
  const w = new ProtoWriter();
  w.beginMessage(1);
  w.beginMessage(1);
  w.beginMessage(1);
  w.stringField(1, 'service.name');
  w.beginMessage(2);
  w.stringField(1, 'checkout', true);
  w.endMessage();
  w.endMessage();
  w.endMessage();
  extra.rs?.(w);
  w.beginMessage(2);
  w.beginMessage(2);
  w.hexField(1, '5b8efff798038103d269b633813fc60c');
  w.hexField(2, 'eee19b7ec3c1b174');
  w.stringField(5, 'GET /');
  extra.span?.(w);
  w.endMessage();
  w.endMessage();
  w.endMessage();
  return Buffer.from(w.finish());
}

/** An attribute whose value is `depth` nested arrays (or kvlists) around a string. */
function nested(depth: number, kvlist: boolean): (w: ProtoWriter) => void {
  return (w) => {
    w.beginMessage(9);
    w.stringField(1, 'deep');
    const open = (level: number): void => {
      w.beginMessage(level === 0 ? 2 : 1);
      if (level === depth) w.stringField(1, 'bottom', true);
      else if (kvlist) {
        w.beginMessage(6);
        w.beginMessage(1);
        w.stringField(1, `k${level}`);
        open(level + 1);
        w.endMessage();
        w.endMessage();
      } else {
        w.beginMessage(5);
        open(level + 1);
        w.endMessage();
      }
      w.endMessage();
    };
    open(0);
    w.endMessage();
  };
}

/** A varint as protobuf writes it. */
function varint(value: number): Buffer {
  const out: number[] = [];
  while (value > 0x7f) {
    out.push((value & 0x7f) | 0x80);
    value = Math.floor(value / 128);
  }
  out.push(value);
  return Buffer.from(out);
}

/** A length-delimited field `field` holding `parts`. */
function len(field: number, ...parts: Buffer[]): Buffer {
  const body = Buffer.concat(parts);
  return Buffer.concat([varint((field << 3) | 2), varint(body.length), body]);
}

/** A request of one span with valid ids followed by `extra`, raw bytes, for what ProtoWriter cannot write. */
function rawSpan(extra: Buffer): Buffer {
  const span = Buffer.concat([len(1, Buffer.alloc(16, 0x5b)), len(2, Buffer.alloc(8, 0xee)), extra]);
  return len(1, len(2, len(2, span)));
}

/** An attribute `k` whose AnyValue body is `value`. */
function rawAttribute(value: Buffer): Buffer {
  return len(9, len(1, Buffer.from('k')), len(2, value));
}

/** Varint edge cases in each reader: 10 bytes (the longest), 11, and 10 continuation bytes at the end. */
function rawCorpus(): Buffer[] {
  const ten = Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  const eleven = Buffer.from([...ten.subarray(0, 9), 0xff, 0x01]);
  const hanging = Buffer.alloc(10, 0xff);
  const out: Buffer[] = [];
  for (const v of [ten, eleven, hanging]) {
    out.push(rawSpan(Buffer.concat([Buffer.from([0x30]), v]))); // kind: uint32
    out.push(rawSpan(rawAttribute(Buffer.concat([Buffer.from([0x18]), v])))); // int64, alone
    out.push(rawSpan(rawAttribute(Buffer.concat([Buffer.from([0x18]), v, Buffer.from([0x10, 0x01])])))); // then a bool
    out.push(rawSpan(rawAttribute(Buffer.concat([Buffer.from([0x10]), v])))); // bool: uint32
    out.push(rawSpan(Buffer.concat([Buffer.from([0xa0, 0x06]), v]))); // unknown varint field 100
  }
  const kvTwice = len(
    9,
    len(1, Buffer.from('k')),
    len(2, len(1, Buffer.from('a'))),
    len(2, len(1, Buffer.from('b'))),
  );
  out.push(rawSpan(kvTwice));
  out.push(rawSpan(len(9, len(1, Buffer.from('k')), Buffer.from([0x1a, 0x00])))); // KeyValue field 3, unknown
  // Groups: skipped whole when well nested, refused when the end does not match or is missing.
  out.push(rawSpan(Buffer.from([0xa3, 0x06, 0x08, 0x01, 0xa4, 0x06])));
  out.push(rawSpan(Buffer.from([0xa3, 0x06, 0x08, 0x01, 0xac, 0x06])));
  out.push(rawSpan(Buffer.from([0xa3, 0x06, 0x08, 0x01])));
  out.push(rawSpan(Buffer.from([0xa4, 0x06])));
  out.push(rawSpan(Buffer.from([0xa1, 0x06, 1, 2, 3]))); // unknown fixed64, short
  out.push(rawSpan(Buffer.from([0xa5, 0x06, 1, 2, 3, 4]))); // unknown fixed32
  out.push(rawSpan(Buffer.from([0xa6, 0x06]))); // wire type 6
  out.push(rawSpan(Buffer.from([0x02, 0x00]))); // field 0
  out.push(rawSpan(Buffer.from([0x39, 1, 2, 3, 4, 5, 6, 7]))); // start time, short
  out.push(rawSpan(Buffer.from([0x85, 0x01, 1, 2, 3]))); // flags, short
  out.push(rawSpan(rawAttribute(Buffer.from([0x21, 1, 2, 3, 4, 5, 6, 7, 8])))); // double
  out.push(rawSpan(rawAttribute(Buffer.from([0x21, 1, 2, 3, 4, 5, 6, 7])))); // double, short
  out.push(rawSpan(len(15, Buffer.from([0x18, 0x02]), len(2, Buffer.from('é'))))); // status
  out.push(rawSpan(len(13, len(1, Buffer.alloc(3)), len(2, Buffer.alloc(0)), len(3, Buffer.from([0xc3]))))); // link
  out.push(
    rawSpan(
      len(
        11,
        Buffer.from([0x09, 1, 2, 3, 4, 5, 6, 7, 8]),
        len(2, Buffer.from('e')),
        Buffer.from([0x20, 0x05]),
      ),
    ),
  ); // event
  return out;
}

async function corpus(): Promise<Buffer[]> {
  const inputs: Buffer[] = [];
  const add = (data: TracesData): void => {
    inputs.push(Buffer.from(encodeExportTraceServiceRequest(data)));
  };
  for (const seed of [1, 2, 3]) add(makeRealisticBatch(seed === 1 ? 512 : 24, seed));
  add(everyKindBatch('0af7651916cd43dd8448eb211c80319c'));
  inputs.push(Buffer.from(ProtobufTraceSerializer.serializeRequest(await makeSdkSpans())!));
  add(
    oneSpan(
      { name: '日本語 \u{1F600} naïve', attributes: [{ key: 'ключ', value: 'значение ☃' }] },
      'sérvice',
    ),
  );
  add(oneSpan({ traceId: '00'.repeat(16) }));
  add(oneSpan({ spanId: '00'.repeat(8) }));
  add(oneSpan({ parentSpanId: '00'.repeat(8) }));
  add(oneSpan({ parentSpanId: 'ab'.repeat(4) }));
  add(oneSpan({ traceId: 'ab'.repeat(8) }));
  add(oneSpan({ spanId: '' }));
  add(oneSpan({ traceId: '' }));
  add(oneSpan({ spanId: 'ab'.repeat(16) }));
  add(oneSpan({ parentSpanId: '01'.repeat(8) }));
  // Times past 2106 (storable-times.ts, no retention set) are invalid, from its next nanosecond on; below it
  // the high 32 bits may be 10^9 − 1 with any low bits.
  const last = 2n ** 32n * 1_000_000_000n - 1n;
  add(oneSpan({ startTimeUnixNano: 2n ** 64n - 1n }));
  add(oneSpan({ startTimeUnixNano: 2n ** 63n }));
  add(oneSpan({ startTimeUnixNano: last, endTimeUnixNano: last + 1n }));
  add(oneSpan({ startTimeUnixNano: last, endTimeUnixNano: last }));
  add(oneSpan({ startTimeUnixNano: (999_999_999n << 32n) | 0xffff_ffffn }));
  add(oneSpan({ startTimeUnixNano: 1_000_000_000n << 32n }));
  add(
    oneSpan({ events: [{ timeUnixNano: last + 1n, name: 'e', attributes: [], droppedAttributesCount: 0 }] }),
  );
  inputs.push(Buffer.alloc(0));
  // Verbatim edge cases, written by hand.
  inputs.push(handWritten({ span: (w) => w.stringField(99, 'from the future') }));
  inputs.push(handWritten({ rs: (w) => w.uint32Field(7, 3) }));
  inputs.push(handWritten({ span: (w) => (w.beginMessage(15), w.uint32Field(1, 2), w.endMessage()) }));
  const status = (w: ProtoWriter): void => (w.beginMessage(15), w.uint32Field(3, 2), w.endMessage());
  inputs.push(handWritten({ span: status }));
  inputs.push(handWritten({ span: (w) => (status(w), status(w)) }));
  inputs.push(handWritten({ rs: (w) => (w.beginMessage(1), w.uint32Field(2, 1), w.endMessage()) }));
  inputs.push(handWritten({ span: (w) => w.bytesField(5, Buffer.from([0x61, 0xff, 0x62])) }));
  inputs.push(handWritten({ span: (w) => w.bytesField(3, Buffer.from([0xed, 0xa0, 0x80])) }));
  inputs.push(handWritten({ span: (w) => w.bytesField(3, Buffer.from([0xf0, 0x9f, 0x98, 0x80])) }));
  inputs.push(handWritten({ span: (w) => w.hexField(1, '00'.repeat(16)) })); // a second trace id: last wins
  inputs.push(handWritten({ span: (w) => w.hexField(2, 'aa'.repeat(8)) }));
  // A repeated start time: the last one decides, as in the decoder.
  inputs.push(handWritten({ span: (w) => (w.fixed64Field(7, 2n ** 63n), w.fixed64Field(7, 5n)) }));
  inputs.push(handWritten({ span: (w) => (w.fixed64Field(7, 5n), w.fixed64Field(7, 2n ** 63n)) }));
  const kv = (value: (w: ProtoWriter) => void) => (w: ProtoWriter) => {
    w.beginMessage(9);
    w.stringField(1, 'k');
    w.beginMessage(2);
    value(w);
    w.endMessage();
    w.endMessage();
  };
  inputs.push(handWritten({ span: kv((w) => (w.stringField(1, 'a', true), w.boolField(2, true))) }));
  inputs.push(handWritten({ span: kv((w) => (w.int64Field(3, 1n), w.int64Field(3, 2n))) }));
  inputs.push(handWritten({ span: kv((w) => w.int64Field(3, -1n)) }));
  inputs.push(handWritten({ span: kv((w) => w.doubleField(4, Number.NaN)) }));
  inputs.push(handWritten({ span: kv((w) => w.bytesField(7, Buffer.from([0xff]), true)) }));
  inputs.push(handWritten({ span: kv((w) => w.stringField(9, 'unknown in AnyValue')) }));
  inputs.push(handWritten({ span: kv(() => undefined) }));
  for (const depth of [63, 64, 65, 66]) {
    inputs.push(handWritten({ span: nested(depth, false) }));
    inputs.push(handWritten({ span: nested(depth, true) }));
  }
  inputs.push(...rawCorpus());
  return inputs;
}

/** Byte-level mutations: truncations, bit flips, inserted, deleted and overwritten bytes. */
function mutate(input: Buffer, next: (n: number) => number): Buffer {
  if (input.length === 0) return Buffer.from([next(256)]);
  const at = next(input.length);
  switch (next(6)) {
    case 0:
      return input.subarray(0, at);
    case 1: {
      const out = Buffer.from(input);
      out[at] ^= 1 << next(8);
      return out;
    }
    case 2:
      return Buffer.concat([input.subarray(0, at), Buffer.from([next(256)]), input.subarray(at)]);
    case 3:
      return Buffer.concat([input.subarray(0, at), input.subarray(at + 1 + next(4))]);
    case 4: {
      const out = Buffer.from(input);
      out[at] = [0x00, 0x7f, 0x80, 0xff, 0x0a, 0x12, 0x08, 0x11][next(8)];
      return out;
    }
    default: {
      // A whole unknown or wrong-typed field at the start of a top-level or nested message.
      const field = Buffer.from([[0xa2, 0x06, 0x01, 0x61], [0x08, 0x01], [0x0b, 0x0c], [0x0e]][next(4)]);
      return Buffer.concat([input.subarray(0, at), field, input.subarray(at)]);
    }
  }
}

describe('scanExportTraceServiceRequest', () => {
  it('agrees with decoding and validating on every corpus request', async () => {
    const inputs = await corpus();
    const verdicts = new Set<string>();
    for (const input of inputs) {
      const expected = decoded(input);
      expect(scanned(input)).toEqual(expected);
      verdicts.add('error' in expected ? 'error' : expected.verdict);
    }
    // The corpus covers every outcome.
    expect([...verdicts].sort()).toEqual(['error', 'has-invalid-spans', 'not-verbatim', 'ok']);
    expect(scanned(inputs[0])).toEqual({ verdict: 'ok', spans: 512 });
  });

  it("agrees with decoding at a retention's limit (the TTL's 32-bit seconds wrap in the addition)", () => {
    const week = 7 * 86_400;
    limitStorableTimes(week);
    try {
      const last = (2n ** 32n - BigInt(week)) * 1_000_000_000n - 1n;
      expect(lastStorableTime()).toBe(last);
      // Across the low half's carry too: the limit's low 32 bits are not all ones.
      for (const time of [last - 2n ** 32n, last, last + 1n, last + 2n ** 32n, (last >> 32n) << 32n]) {
        const event = { timeUnixNano: time, name: 'e', attributes: [], droppedAttributesCount: 0 };
        for (const data of [
          oneSpan({ startTimeUnixNano: time, endTimeUnixNano: time }),
          oneSpan({ events: [event] }),
        ]) {
          const bytes = Buffer.from(encodeExportTraceServiceRequest(data));
          const expected = decoded(bytes);
          expect({ time, ...scanned(bytes) }).toEqual({ time, ...expected });
          expect({ time, ...expected }).toEqual({
            time,
            verdict: time > last ? 'has-invalid-spans' : 'ok',
            spans: 1,
          });
        }
      }
    } finally {
      limitStorableTimes(0);
    }
  });

  it('agrees with decoding on thousands of mutated requests, errors word for word', async () => {
    const inputs = (await corpus()).filter((input) => input.length < 20_000);
    const next = random(20261125);
    const outcomes = new Map<string, number>();
    for (let i = 0; i < 12_000; i++) {
      let input = inputs[next(inputs.length)];
      for (let m = 1 + next(3); m > 0; m--) input = mutate(input, next);
      const expected = decoded(input);
      const actual = scanned(input);
      if (JSON.stringify(actual) !== JSON.stringify(expected))
        expect({ input: input.toString('hex'), actual }).toEqual({
          input: input.toString('hex'),
          actual: expected,
        });
      const kind = 'error' in expected ? 'error' : expected.verdict;
      outcomes.set(kind, (outcomes.get(kind) ?? 0) + 1);
    }
    // Enough of each outcome for the agreement to mean something.
    for (const kind of ['error', 'has-invalid-spans', 'not-verbatim', 'ok'])
      expect(outcomes.get(kind) ?? 0, kind).toBeGreaterThan(100);
  });
});

describe('isValidUtf8', () => {
  it('answers as node:buffer isUtf8 for every 1- and 2-byte sequence and random longer ones', () => {
    const two = Buffer.alloc(2);
    for (let a = 0; a < 256; a++) {
      expect(isValidUtf8(Buffer.from([a]), 0, 1)).toBe(isUtf8(Buffer.from([a])));
      for (let b = 0; b < 256; b++) {
        two[0] = a;
        two[1] = b;
        if (isValidUtf8(two, 0, 2) !== isUtf8(two)) expect([a, b]).toBe('agreeing');
      }
    }
    const next = random(7);
    const leads = [0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0x80, 0x41];
    const tails = [0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0x41];
    for (let i = 0; i < 50_000; i++) {
      const bytes = Buffer.alloc(1 + next(6));
      for (let j = 0; j < bytes.length; j++)
        bytes[j] = next(2) ? leads[next(leads.length)] : tails[next(tails.length)];
      if (isValidUtf8(bytes, 0, bytes.length) !== isUtf8(bytes))
        expect(bytes.toString('hex')).toBe('agreeing');
    }
  });
});
