import type { Rng } from '../../src/traceql/fuzz/random.js';

/*
 * Rewrites an ExportTraceServiceRequest into bytes that protobuf decoders read the same way (or,
 * for a repeated singular field, the last-wins way) but that no canonical encoder writes: fields
 * out of order or repeated, unknown fields, padded varints and lengths, default values written
 * out, a deprecated Status.code — and, to test what the decoders do with it, invalid UTF-8.
 * For tests of encoders that copy source bytes (encode-from-source): the copy must still equal a
 * fresh encode.
 */

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const I32 = 5;

/** The message types of trace.proto and common.proto, by the fields of each that are messages. */
const CHILDREN: Record<string, Record<number, string>> = {
  Request: { 1: 'ResourceSpans' },
  ResourceSpans: { 1: 'Resource', 2: 'ScopeSpans' },
  Resource: { 1: 'KeyValue' },
  ScopeSpans: { 1: 'Scope', 2: 'Span' },
  Scope: { 3: 'KeyValue' },
  Span: { 9: 'KeyValue', 11: 'Event', 13: 'Link', 15: 'Status' },
  Event: { 3: 'KeyValue' },
  Link: { 4: 'KeyValue' },
  Status: {},
  KeyValue: { 2: 'AnyValue' },
  AnyValue: { 5: 'ArrayValue', 6: 'KeyValueList' },
  ArrayValue: { 1: 'AnyValue' },
  KeyValueList: { 1: 'KeyValue' },
};

/** Each message's scalar fields and their wire types: where a default value can be written out. */
const SCALARS: Record<string, Record<number, number>> = {
  Resource: { 2: VARINT },
  Scope: { 1: LEN, 2: LEN, 4: VARINT },
  Span: {
    1: LEN,
    2: LEN,
    3: LEN,
    4: LEN,
    5: LEN,
    6: VARINT,
    7: I64,
    8: I64,
    10: VARINT,
    12: VARINT,
    14: VARINT,
    16: I32,
  },
  Event: { 1: I64, 2: LEN, 4: VARINT },
  Link: { 1: LEN, 2: LEN, 3: LEN, 5: VARINT, 6: I32 },
  Status: { 2: LEN, 3: VARINT },
  KeyValue: { 1: LEN },
};

/** String fields, where a byte can be made invalid UTF-8. */
const STRINGS: Record<string, readonly number[]> = {
  Span: [3, 5],
  Event: [2],
  Link: [3],
  Status: [2],
  KeyValue: [1],
  AnyValue: [1],
  Scope: [1, 2],
};

interface Field {
  field: number;
  wireType: number;
  /** A varint's value bytes, a fixed field's bytes, a length-delimited field's body. */
  value: Uint8Array;
  /** A nested message's fields, when the field is one. */
  children?: Field[];
  /** Write the tag or length with this many padding bytes (0x80 … 0x00). */
  padTag?: number;
  padLength?: number;
}

/** What kinds of damage to do, each with its chance per message. */
export interface Rewrites {
  reorder: number;
  repeat: number;
  unknown: number;
  pad: number;
  defaults: number;
  deprecatedStatusCode: number;
  invalidUtf8: number;
}

export const NO_REWRITES: Rewrites = {
  reorder: 0,
  repeat: 0,
  unknown: 0,
  pad: 0,
  defaults: 0,
  deprecatedStatusCode: 0,
  invalidUtf8: 0,
};

/** The request `bytes` rewritten with `rewrites` applied at random (`rng`) to its messages. */
export function nonCanonicalRequest(bytes: Uint8Array, rng: Rng, rewrites: Rewrites): Buffer {
  const fields = parse(bytes, 0, bytes.length, 'Request');
  rewrite(fields, 'Request', rng, rewrites);
  const out: number[] = [];
  write(fields, out);
  return Buffer.from(out);
}

function readVarint(bytes: Uint8Array, at: { pos: number }): number {
  let value = 0;
  let scale = 1;
  for (;;) {
    const b = bytes[at.pos++];
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return value;
  }
}

function parse(bytes: Uint8Array, start: number, end: number, type: string): Field[] {
  const at = { pos: start };
  const fields: Field[] = [];
  while (at.pos < end) {
    const tag = readVarint(bytes, at);
    const field = Math.floor(tag / 8);
    const wireType = tag & 7;
    let valueStart = at.pos;
    if (wireType === VARINT) readVarint(bytes, at);
    else if (wireType === I64) at.pos += 8;
    else if (wireType === I32) at.pos += 4;
    else {
      const length = readVarint(bytes, at);
      valueStart = at.pos;
      at.pos += length;
    }
    const value = bytes.slice(valueStart, at.pos);
    const childType = CHILDREN[type]?.[field];
    fields.push({
      field,
      wireType,
      value,
      children: childType ? parse(value, 0, value.length, childType) : undefined,
    });
  }
  return fields;
}

function rewrite(fields: Field[], type: string, rng: Rng, rewrites: Rewrites): void {
  for (const f of fields) {
    const childType = CHILDREN[type]?.[f.field];
    if (f.children && childType) rewrite(f.children, childType, rng, rewrites);
  }
  if (fields.length >= 2 && rng.chance(rewrites.reorder)) {
    const i = rng.int(fields.length - 1);
    [fields[i], fields[i + 1]] = [fields[i + 1], fields[i]];
  }
  const scalars = SCALARS[type];
  if (scalars && rng.chance(rewrites.repeat)) {
    // A scalar given twice: the last wins, so repeating the one there is keeps its value.
    const candidates = fields.filter((f) => scalars[f.field] !== undefined);
    if (candidates.length > 0) {
      const f = rng.pick(candidates);
      fields.splice(rng.int(fields.indexOf(f) + 1), 0, { ...f });
    }
  }
  if (rng.chance(rewrites.unknown)) {
    const wireType = rng.pick([VARINT, I64, LEN, I32]);
    const value = new Uint8Array(wireType === I64 ? 8 : wireType === I32 ? 4 : wireType === LEN ? 3 : 1);
    value.fill(wireType === VARINT ? 5 : 7);
    fields.splice(rng.int(fields.length + 1), 0, { field: 50 + rng.int(50), wireType, value });
  }
  if (fields.length > 0 && rng.chance(rewrites.pad)) {
    const f = rng.pick(fields);
    if (rng.chance(0.5)) f.padTag = 1 + rng.int(2);
    else if (f.wireType === LEN) f.padLength = 1 + rng.int(2);
    // Ten bytes is the most a varint may have (a negative int64 has all ten already).
    else if (f.wireType === VARINT && f.value.length <= 8) f.value = padVarint(f.value, 1 + rng.int(2));
  }
  if (scalars && rng.chance(rewrites.defaults)) {
    // Written before any field of that number, so the value read stays what it was.
    const numbers = Object.keys(scalars).map(Number);
    const field = rng.pick(numbers);
    const wireType = scalars[field];
    const first = fields.findIndex((f) => f.field === field);
    const at = rng.int((first < 0 ? fields.length : first) + 1);
    const value = new Uint8Array(wireType === I64 ? 8 : wireType === I32 ? 4 : wireType === VARINT ? 1 : 0);
    fields.splice(at, 0, { field, wireType, value });
  }
  if (type === 'Status' && rng.chance(rewrites.deprecatedStatusCode))
    fields.splice(rng.int(fields.length + 1), 0, { field: 1, wireType: VARINT, value: new Uint8Array([2]) });
  const strings = STRINGS[type];
  if (strings && rng.chance(rewrites.invalidUtf8)) {
    const f = fields.find((x) => strings.includes(x.field) && x.wireType === LEN && x.value.length > 0);
    if (f) {
      f.value = f.value.slice();
      f.value[rng.int(f.value.length)] = 0xff;
    }
  }
}

/** A varint's bytes with `pad` more: the same value, not minimal. */
function padVarint(value: Uint8Array, pad: number): Uint8Array {
  const out = [...value];
  for (let i = 0; i < pad; i++) {
    out[out.length - 1] |= 0x80;
    out.push(0);
  }
  return Uint8Array.from(out);
}

function writeVarint(value: number, out: number[], pad = 0): void {
  while (value > 0x7f) {
    out.push((value % 128) | 0x80);
    value = Math.floor(value / 128);
  }
  if (pad === 0) {
    out.push(value);
    return;
  }
  out.push(value | 0x80);
  for (let i = 1; i < pad; i++) out.push(0x80);
  out.push(0);
}

function write(fields: readonly Field[], out: number[]): void {
  for (const f of fields) {
    writeVarint(f.field * 8 + f.wireType, out, f.padTag);
    if (f.wireType !== LEN) {
      for (const b of f.value) out.push(b);
      continue;
    }
    let body = f.value;
    if (f.children) {
      const inner: number[] = [];
      write(f.children, inner);
      body = Uint8Array.from(inner);
    }
    writeVarint(body.length, out, f.padLength);
    for (const b of body) out.push(b);
  }
}
