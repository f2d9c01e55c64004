import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedDriver } from '../driver/embedded-driver.js';
import type { NativeColumnData } from './native-reader.js';
import {
  ArrayColumnData,
  DictionaryColumn,
  Int64Column,
  MapColumnData,
  NativeFormatError,
  readNativeBlocks,
  TupleColumnData,
} from './native-reader.js';

/* ClickHouse's own Native output (the embedded engine), read back as the values it was asked for. */
let dir: string;
let driver: EmbeddedDriver;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-native-reader-'));
  driver = await EmbeddedDriver.open(join(dir, 'data'));
});

afterAll(async () => {
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every row of a column as plain values, whatever its representation. */
function values(data: NativeColumnData, rows: number): unknown[] {
  const out: unknown[] = [];
  for (let r = 0; r < rows; r++) out.push(valueAt(data, r));
  return out;
}

function valueAt(data: NativeColumnData, r: number): unknown {
  if (data instanceof DictionaryColumn) return data.at(r);
  if (data instanceof Int64Column) return data.text(r);
  if (data instanceof MapColumnData) {
    const entries: [unknown, unknown][] = [];
    for (let i = data.start(r); i < data.end(r); i++)
      entries.push([valueAt(data.keys, i), valueAt(data.values, i)]);
    return entries;
  }
  if (data instanceof ArrayColumnData) {
    const items: unknown[] = [];
    for (let i = data.start(r); i < data.end(r); i++) items.push(valueAt(data.items, i));
    return items;
  }
  if (data instanceof TupleColumnData) return data.elements.map((element) => valueAt(element, r));
  return data[r];
}

async function read(sql: string) {
  return readNativeBlocks(await driver.bytes(`${sql} FORMAT Native`));
}

describe('readNativeBlocks', () => {
  it('reads strings, dictionaries, integers of every width and nested arrays and maps', async () => {
    const [block] = await read(
      `SELECT
         ['', 'é ✓', repeat('x', 300)][number + 1] AS s,
         toLowCardinality(['GET', 'POST', 'GET'][number + 1]) AS lc,
         toUInt8(number + 250) AS u8, toInt8(-number) AS i8, toUInt16(65535 - number) AS u16,
         toInt16(-32768 + number) AS i16, toUInt32(4294967295 - number) AS u32, toInt32(-2147483648 + number) AS i32,
         [toUInt64(18446744073709551615), toUInt64(9007199254740993), toUInt64(7)][number + 1] AS u64,
         [toInt64(-9223372036854775808), toInt64(-1), toInt64(1700000000)][number + 1] AS i64,
         CAST(map('k' || toString(number), 'v', 'same', 'v'), 'Map(LowCardinality(String), LowCardinality(String))') AS m,
         CAST(map('a', 'b'), 'Map(LowCardinality(String), String)') AS ms,
         CAST(arraySlice([[1, 2], [], [3]], number + 1), 'Array(Array(UInt8))') AS aa,
         arrayMap(i -> map(toLowCardinality(toString(i)), 'x'), range(number)) AS am,
         arrayMap(i -> tuple(toInt64(i), toLowCardinality('e' || toString(i)), CAST(map('k', 'v'), 'Map(LowCardinality(String), String)')), range(number)) AS at,
         CAST(tuple(number, 'a, b'), 'Tuple(n UInt32, s String)') AS named
       FROM numbers(3)`,
    );
    expect(block.rows).toBe(3);
    const column = (name: string) => values(block.columns.get(name)!.data, block.rows);
    expect(column('s')).toEqual(['', 'é ✓', 'x'.repeat(300)]);
    expect(column('lc')).toEqual(['GET', 'POST', 'GET']);
    expect(block.columns.get('lc')!.data).toBeInstanceOf(DictionaryColumn);
    expect(column('u8')).toEqual([250, 251, 252]);
    expect(column('i8')).toEqual([0, -1, -2]);
    expect(column('u16')).toEqual([65535, 65534, 65533]);
    expect(column('i16')).toEqual([-32768, -32767, -32766]);
    expect(column('u32')).toEqual([4294967295, 4294967294, 4294967293]);
    expect(column('i32')).toEqual([-2147483648, -2147483647, -2147483646]);
    expect(column('u64')).toEqual(['18446744073709551615', '9007199254740993', '7']);
    expect(column('i64')).toEqual(['-9223372036854775808', '-1', '1700000000']);
    const i64 = block.columns.get('i64')!.data as Int64Column;
    expect([i64.isSafe(0), i64.isSafe(1), i64.number(1), i64.number(2)]).toEqual([
      false,
      true,
      -1,
      1700000000,
    ]);
    const u64 = block.columns.get('u64')!.data as Int64Column;
    expect([u64.isSafe(1), u64.isSafe(2), u64.number(2)]).toEqual([false, true, 7]);
    expect(column('m')).toEqual([
      [
        ['k0', 'v'],
        ['same', 'v'],
      ],
      [
        ['k1', 'v'],
        ['same', 'v'],
      ],
      [
        ['k2', 'v'],
        ['same', 'v'],
      ],
    ]);
    expect(column('ms')).toEqual([[['a', 'b']], [['a', 'b']], [['a', 'b']]]);
    expect(column('aa')).toEqual([[[1, 2], [], [3]], [[], [3]], [[3]]]);
    expect(column('am')).toEqual([[], [[['0', 'x']]], [[['0', 'x']], [['1', 'x']]]]);
    expect(column('at')).toEqual([
      [],
      [['0', 'e0', [['k', 'v']]]],
      [
        ['0', 'e0', [['k', 'v']]],
        ['1', 'e1', [['k', 'v']]],
      ],
    ]);
    expect(column('named')).toEqual([
      [0, 'a, b'],
      [1, 'a, b'],
      [2, 'a, b'],
    ]);
  });

  it('reads every block of a stream, and nothing from an empty answer', async () => {
    const blocks = await read(
      'SELECT toString(number) AS s, toLowCardinality(toString(number % 2)) AS lc FROM numbers(5) SETTINGS max_block_size = 2',
    );
    expect(blocks.map((b) => b.rows)).toEqual([2, 2, 1]);
    expect(blocks.flatMap((b) => values(b.columns.get('lc')!.data, b.rows))).toEqual([
      '0',
      '1',
      '0',
      '1',
      '0',
    ]);
    expect(await read('SELECT 1 AS x WHERE 0')).toEqual([]);
  });

  it('refuses truncated data and types it does not read, saying which', async () => {
    const bytes = await driver.bytes("SELECT 'abc' AS s, toUInt32(1) AS n FORMAT Native");
    expect(() => readNativeBlocks(bytes.subarray(0, bytes.length - 2))).toThrow(
      new NativeFormatError('Native data ends 2 bytes early'),
    );
    const float = await driver.bytes('SELECT toFloat64(1.5) AS f FORMAT Native');
    expect(() => readNativeBlocks(float)).toThrow(/Float64 is not one Tracehouse reads/);
  });
});
