import { isAscii } from 'node:buffer';

/**
 * Reads ClickHouse's `Native` output: blocks of named, typed columns. Used where a query returns
 * many rows to JavaScript (a 100,000-span trace): numbers arrive as typed arrays without parsing,
 * and `LowCardinality` columns as a small dictionary of strings plus an index a row, so a value
 * repeated on every row becomes one JavaScript string, not one per row.
 *
 * Only the types Tracehouse selects are read (an unknown one is an error naming it): String,
 * (U)Int8/16/32/64, LowCardinality(String), Array(T), Map(K, V), Tuple(…).
 */

/** 64-bit integers as their two 32-bit halves, low first: exact, without a BigInt a value. */
export class Int64Column {
  constructor(
    readonly words: Int32Array,
    readonly signed: boolean,
  ) {}

  get length(): number {
    return this.words.length / 2;
  }

  /** The value as a number; exact up to 2^53, which every caller checks with `isSafe`. */
  number(row: number): number {
    const lo = this.words[2 * row] >>> 0;
    const hi = this.words[2 * row + 1];
    return (this.signed ? hi : hi >>> 0) * 4294967296 + lo;
  }

  /** The low 52 bits as a number: a key for hashes (a collision needs ~2^26 distinct values). */
  low52(row: number): number {
    return (this.words[2 * row + 1] & 0xfffff) * 4294967296 + (this.words[2 * row] >>> 0);
  }

  isSafe(row: number): boolean {
    const hi = this.words[2 * row + 1];
    return this.signed ? hi < 0x200000 && hi >= -0x200000 : hi >>> 0 < 0x200000;
  }

  /** The exact value as decimal text. */
  text(row: number): string {
    const lo = BigInt(this.words[2 * row] >>> 0);
    const hi = BigInt(this.signed ? this.words[2 * row + 1] : this.words[2 * row + 1] >>> 0);
    return ((hi << 32n) + lo).toString();
  }
}

/** `LowCardinality(String)`: each row is `dictionary[indexes[row]]`. */
export class DictionaryColumn {
  constructor(
    readonly dictionary: readonly string[],
    readonly indexes: Uint8Array | Uint16Array | Uint32Array,
  ) {}

  get length(): number {
    return this.indexes.length;
  }

  at(row: number): string {
    return this.dictionary[this.indexes[row]];
  }
}

/** `Array(T)` (and `Map(K, V)`, whose items are `keys[i]`/`values[i]`): row r's items are [start(r), end(r)). */
export class OffsetsColumn {
  constructor(readonly ends: Float64Array) {}

  get length(): number {
    return this.ends.length;
  }

  start(row: number): number {
    return row === 0 ? 0 : this.ends[row - 1];
  }

  end(row: number): number {
    return this.ends[row];
  }
}

export class ArrayColumnData extends OffsetsColumn {
  constructor(
    ends: Float64Array,
    readonly items: NativeColumnData,
  ) {
    super(ends);
  }
}

export class MapColumnData extends OffsetsColumn {
  constructor(
    ends: Float64Array,
    readonly keys: NativeColumnData,
    readonly values: NativeColumnData,
  ) {
    super(ends);
  }
}

/** `Tuple(T1, T2, …)`: one column an element, each with the tuple's row count. */
export class TupleColumnData {
  constructor(readonly elements: readonly NativeColumnData[]) {}
}

export type NativeColumnData =
  | string[]
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Int64Column
  | DictionaryColumn
  | ArrayColumnData
  | MapColumnData
  | TupleColumnData;

export interface NativeBlock {
  readonly rows: number;
  /** Columns by name, as the query named them. */
  readonly columns: ReadonlyMap<string, { readonly type: string; readonly data: NativeColumnData }>;
}

export class NativeFormatError extends Error {
  override readonly name = 'NativeFormatError';
}

type Type =
  | { kind: 'string' }
  | { kind: 'fixed'; bytes: 1 | 2 | 4; signed: boolean }
  | { kind: 'int64'; signed: boolean }
  | { kind: 'dictionary' }
  | { kind: 'array'; item: Type }
  | { kind: 'map'; key: Type; value: Type }
  | { kind: 'tuple'; elements: Type[] };

const FIXED: Record<string, Type> = {
  UInt8: { kind: 'fixed', bytes: 1, signed: false },
  Int8: { kind: 'fixed', bytes: 1, signed: true },
  UInt16: { kind: 'fixed', bytes: 2, signed: false },
  Int16: { kind: 'fixed', bytes: 2, signed: true },
  UInt32: { kind: 'fixed', bytes: 4, signed: false },
  Int32: { kind: 'fixed', bytes: 4, signed: true },
  UInt64: { kind: 'int64', signed: false },
  Int64: { kind: 'int64', signed: true },
  String: { kind: 'string' },
  'LowCardinality(String)': { kind: 'dictionary' },
};

/** Parses a ClickHouse type name among those this reader knows. */
function parseType(name: string): Type {
  const fixed = FIXED[name];
  if (fixed) return fixed;
  const inner = /^(Array|Map|Tuple)\((.*)\)$/s.exec(name);
  if (inner?.[1] === 'Array') return { kind: 'array', item: parseType(inner[2]) };
  if (inner?.[1] === 'Map') {
    const [key, value] = splitTopLevel(inner[2]);
    if (value === undefined) throw new NativeFormatError(`bad Map arguments ${inner[2]}`);
    return { kind: 'map', key: parseType(key), value: parseType(value) };
  }
  // A named tuple's elements read `name Type`; the names do not matter here.
  if (inner?.[1] === 'Tuple')
    return {
      kind: 'tuple',
      elements: splitTopLevel(inner[2]).map((e) => parseType(e.replace(TUPLE_NAME, ''))),
    };
  throw new NativeFormatError(`Native column type ${name} is not one Tracehouse reads`);
}

const TUPLE_NAME = /^[A-Za-z_]\w* (?=[A-Z])/;

/** Type arguments, split at the commas outside parentheses and quotes. */
function splitTopLevel(args: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < args.length; i++) {
    const c = args[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === "'") quoted = false;
    } else if (c === "'") quoted = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(args.slice(from, i).trim());
      from = i + 1;
    }
  }
  out.push(args.slice(from).trim());
  return out;
}

/** LowCardinality index flags (ClickHouse's SerializationLowCardinality). */
const INDEX_WIDTH_MASK = 0xff;
const NEEDS_GLOBAL_DICTIONARY = 1 << 8;
const HAS_ADDITIONAL_KEYS = 1 << 9;

/** Every block of a Native stream, in order. */
export function readNativeBlocks(bytes: Uint8Array): NativeBlock[] {
  const reader = new Reader(bytes);
  const blocks: NativeBlock[] = [];
  while (!reader.done()) blocks.push(reader.block());
  return blocks;
}

class Reader {
  private at = 0;
  private readonly buffer: Buffer;

  constructor(bytes: Uint8Array) {
    this.buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  done(): boolean {
    return this.at >= this.buffer.length;
  }

  block(): NativeBlock {
    const columnCount = this.varUInt();
    const rows = this.varUInt();
    const columns = new Map<string, { type: string; data: NativeColumnData }>();
    for (let c = 0; c < columnCount; c++) {
      const name = this.string();
      const typeName = this.string();
      const type = parseType(typeName);
      this.prefix(type);
      columns.set(name, { type: typeName, data: this.column(type, rows) });
    }
    return { rows, columns };
  }

  /** The state prefix every LowCardinality inside the column writes first: its keys' version. */
  private prefix(type: Type): void {
    if (type.kind === 'dictionary') {
      const version = this.uint64();
      if (version !== 1) throw new NativeFormatError(`LowCardinality keys version ${version}`);
    } else if (type.kind === 'array') this.prefix(type.item);
    else if (type.kind === 'map') {
      this.prefix(type.key);
      this.prefix(type.value);
    } else if (type.kind === 'tuple') for (const element of type.elements) this.prefix(element);
  }

  private column(type: Type, rows: number): NativeColumnData {
    switch (type.kind) {
      case 'string':
        return this.strings(rows);
      case 'fixed':
        return this.fixed(type.bytes, type.signed, rows);
      case 'int64':
        return new Int64Column(this.fixed(4, true, rows * 2) as Int32Array, type.signed);
      case 'dictionary':
        return this.dictionary(rows);
      case 'array': {
        const ends = this.offsets(rows);
        return new ArrayColumnData(ends, this.column(type.item, rows === 0 ? 0 : ends[rows - 1]));
      }
      case 'map': {
        const ends = this.offsets(rows);
        const items = rows === 0 ? 0 : ends[rows - 1];
        const keys = this.column(type.key, items);
        return new MapColumnData(ends, keys, this.column(type.value, items));
      }
      case 'tuple':
        return new TupleColumnData(type.elements.map((element) => this.column(element, rows)));
    }
  }

  private dictionary(rows: number): DictionaryColumn {
    if (rows === 0) return new DictionaryColumn([], new Uint8Array(0));
    const flags = this.uint64();
    if ((flags & NEEDS_GLOBAL_DICTIONARY) !== 0 || (flags & HAS_ADDITIONAL_KEYS) === 0)
      throw new NativeFormatError('LowCardinality with a shared dictionary is not read here');
    const keys = this.uint64();
    const dictionary = this.strings(keys);
    const count = this.uint64();
    if (count !== rows) throw new NativeFormatError(`LowCardinality has ${count} indexes for ${rows} rows`);
    const width = flags & INDEX_WIDTH_MASK;
    if (width > 2) throw new NativeFormatError('LowCardinality with 64-bit indexes');
    const indexes = this.fixed(width === 0 ? 1 : width === 1 ? 2 : 4, false, rows) as
      Uint8Array | Uint16Array | Uint32Array;
    return new DictionaryColumn(dictionary, indexes);
  }

  /** Array and Map offsets: UInt64 running ends (always below 2^53 here: they count items). */
  private offsets(rows: number): Float64Array {
    const words = this.fixed(4, false, rows * 2) as Uint32Array;
    const ends = new Float64Array(rows);
    for (let i = 0; i < rows; i++) ends[i] = words[2 * i + 1] * 4294967296 + words[2 * i];
    return ends;
  }

  private fixed(bytes: 1 | 2 | 4, signed: boolean, count: number): NativeColumnData {
    const length = bytes * count;
    this.need(length);
    // A copy: typed arrays need aligned offsets, and the block's bytes may be reused.
    const copy = this.buffer.buffer.slice(
      this.buffer.byteOffset + this.at,
      this.buffer.byteOffset + this.at + length,
    );
    this.at += length;
    if (bytes === 1) return signed ? new Int8Array(copy) : new Uint8Array(copy);
    if (bytes === 2) return signed ? new Int16Array(copy) : new Uint16Array(copy);
    return signed ? new Int32Array(copy) : new Uint32Array(copy);
  }

  /**
   * `count` strings in a row. When their bytes (length prefixes included) are all ASCII, as ids,
   * names and most values are, they are decoded as one text and cut out of it: one call into
   * Node's decoder instead of one a string, which costs more than the decoding itself.
   */
  private strings(count: number): string[] {
    const starts = new Array<number>(count);
    const ends = new Array<number>(count);
    const from = this.at;
    for (let i = 0; i < count; i++) {
      const length = this.varUInt();
      starts[i] = this.at - from;
      this.at += length;
      ends[i] = this.at - from;
    }
    this.need(0);
    const out = new Array<string>(count);
    const bytes = this.buffer.subarray(from, this.at);
    if (isAscii(bytes)) {
      const text = bytes.latin1Slice(0, bytes.length);
      for (let i = 0; i < count; i++) out[i] = text.slice(starts[i], ends[i]);
    } else for (let i = 0; i < count; i++) out[i] = bytes.utf8Slice(starts[i], ends[i]);
    return out;
  }

  private string(): string {
    const length = this.varUInt();
    this.need(length);
    const text = this.buffer.toString('utf8', this.at, this.at + length);
    this.at += length;
    return text;
  }

  private uint64(): number {
    this.need(8);
    const lo = this.buffer.readUInt32LE(this.at);
    const hi = this.buffer.readUInt32LE(this.at + 4);
    this.at += 8;
    if (hi >= 0x200000) throw new NativeFormatError('a 64-bit count past 2^53');
    return hi * 4294967296 + lo;
  }

  private varUInt(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      this.need(1);
      const byte = this.buffer[this.at++];
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
      if (scale > 2 ** 49) throw new NativeFormatError('a varint past 2^56');
    }
  }

  private need(bytes: number): void {
    if (this.at + bytes > this.buffer.length)
      throw new NativeFormatError(`Native data ends ${this.at + bytes - this.buffer.length} bytes early`);
  }
}
