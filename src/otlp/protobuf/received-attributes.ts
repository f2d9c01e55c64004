import { KV_KEY, KV_VALUE } from './trace-field-tags.js';

/*
 * Where an attribute list of a received request lies in its bytes, for a consumer that writes it
 * again (the store's rows; see received-span-strings.ts for the span around it).
 */

export const EMPTY = new Uint8Array(0);

/** A reusable list of ranges that grows as needed: no allocation a span once it has grown. */
export class Ranges {
  count = 0;
  starts: Int32Array = new Int32Array(16);
  ends: Int32Array = new Int32Array(16);

  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      this.starts = grown(this.starts);
      this.ends = grown(this.ends);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }
}

function grown(array: Int32Array): Int32Array {
  const out = new Int32Array(array.length * 2);
  out.set(array);
  return out;
}

/** Reads varints and skips fields of one request part; `pos` is where the next read starts. */
export class FieldReader {
  bytes: Uint8Array = EMPTY;
  pos = 0;

  /** A varint of up to 35 bits (tags, lengths); a longer one is skipped and reads as -1. */
  varint(): number {
    const bytes = this.bytes;
    let b = bytes[this.pos++];
    if (b < 0x80) return b;
    let value = b & 0x7f;
    let scale = 0x80;
    for (let i = 1; i < 5; i++) {
      b = bytes[this.pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
    while (this.pos < bytes.length && bytes[this.pos++] >= 0x80);
    return -1;
  }

  /** Steps over the value of a field whose tag was just read; false for a group (never in OTLP). */
  skip(tag: number): boolean {
    switch (tag & 7) {
      case 0:
        while (this.bytes[this.pos++] >= 0x80);
        return true;
      case 1:
        this.pos += 8;
        return true;
      case 2: {
        const length = this.varint();
        this.pos += length;
        return length >= 0;
      }
      case 5:
        this.pos += 4;
        return true;
      default:
        return false;
    }
  }
}

/** `ReceivedAttributes.members` of a KeyValue with no value set (an empty AnyValue, or none). */
export const NO_MEMBER = 0;

/**
 * One attribute list as received: for KeyValue i, its key (`keys`), the tag of its value's one
 * member (`members`: AV_STRING, AV_INT, …, or NO_MEMBER) and where that member's value lies
 * (`values`: a string's or bytes' body, a varint's or fixed64's bytes). What a writer needs of a
 * string, int or bool attribute, and its type, is all here: the model's KeyValue objects, spread
 * over the heap, need not be touched for them.
 */
export class ReceivedAttributes {
  bytes: Uint8Array = EMPTY;
  readonly keys = new Ranges();
  readonly values = new Ranges();
  members = new Uint8Array(16);
  private readonly r = new FieldReader();

  get count(): number {
    return this.keys.count;
  }

  reset(bytes: Uint8Array): void {
    this.bytes = bytes;
    this.r.bytes = bytes;
    this.keys.count = 0;
    this.values.count = 0;
  }

  /**
   * The int value of attribute `i` (an AV_INT member) when its varint has at most 7 bytes: a
   * whole number under 2^49, exactly a Number; otherwise -1 (negative or large: ask the model).
   */
  smallInt(i: number): number {
    const bytes = this.bytes;
    let pos = this.values.starts[i];
    let value = 0;
    let scale = 1;
    for (let n = 0; n < 7; n++) {
      const b = bytes[pos++];
      value += (b & 0x7f) * scale;
      if (b < 0x80) return value;
      scale *= 0x80;
    }
    return -1;
  }

  /** Records the KeyValue whose body is `bytes[start, end)`; false if it does not parse. */
  add(start: number, end: number): boolean {
    const r = this.r;
    r.pos = start;
    let keyStart = 0;
    let keyEnd = 0;
    let member = NO_MEMBER;
    let valueStart = 0;
    let valueEnd = 0;
    while (r.pos < end) {
      const tag = r.varint();
      if (tag === KV_KEY) {
        const length = r.varint();
        keyStart = r.pos;
        keyEnd = r.pos += length;
      } else if (tag === KV_VALUE) {
        // A verbatim AnyValue has at most one member (a second makes the decode not verbatim).
        const valueStop = r.varint() + r.pos;
        member = NO_MEMBER;
        while (r.pos < valueStop) {
          member = r.varint();
          if ((member & 7) === 2) {
            const length = r.varint();
            valueStart = r.pos;
            valueEnd = r.pos += length;
          } else {
            valueStart = r.pos;
            if (!r.skip(member)) return false;
            valueEnd = r.pos;
          }
        }
      } else if (!r.skip(tag)) return false;
    }
    if (this.keys.count === this.members.length) {
      const members = new Uint8Array(this.members.length * 2);
      members.set(this.members);
      this.members = members;
    }
    // A tag past a byte is no AnyValue member: 0xff, which a writer leaves to the model.
    this.members[this.keys.count] = member > 0xff ? 0xff : member;
    this.keys.push(keyStart, keyEnd);
    this.values.push(valueStart, valueEnd);
    return r.pos === end;
  }
}
