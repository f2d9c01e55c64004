import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedDriver } from '../driver/embedded-driver.js';
import type { NamedNativeColumn } from './native-block.js';
import { nativeBlock, nativeColumnHeaders } from './native-block.js';
import { ArrayColumn, ArrayOfMapsColumn, MapColumn, ScalarColumn } from './native-columns.js';

/*
 * Our Native blocks against ClickHouse's own: the same values written by the embedded engine
 * (`INSERT INTO FUNCTION file(…, 'Native')`) must be the same bytes, and blocks we write must
 * read back as the values we put in.
 */
let dir: string;
let driver: EmbeddedDriver;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracehouse-native-'));
  driver = await EmbeddedDriver.open(join(dir, 'data'));
});

afterAll(async () => {
  await driver.close();
  rmSync(dir, { recursive: true, force: true });
});

function smallBlock(): Buffer {
  const a = new ScalarColumn();
  const m = new MapColumn();
  const t = new ScalarColumn();
  const e = new ArrayColumn();
  const k = new ScalarColumn();
  const columns: NamedNativeColumn[] = [
    { name: 'a', type: 'String', column: a },
    { name: 'm', type: 'Map(String, String)', column: m },
    { name: 't', type: 'DateTime64(9)', column: t },
    { name: 'e', type: 'Array(UInt32)', column: e },
    { name: 'k', type: "Enum8('x' = 0, 'y' = 2)", column: k },
  ];
  // Row 1: ('ab', {k: v, k2: v2}, 1 s, [7, 8], 'y'); row 2: ('c', {}, 2 s, [], 'x').
  a.values.string('ab');
  m.keys.string('k');
  m.values.string('v');
  m.keys.string('k2');
  m.values.string('v2');
  m.endRow(2);
  t.values.int64(1_000_000_000n);
  e.values.uint32(7);
  e.values.uint32(8);
  e.endRow(2);
  k.values.int8(2);
  a.values.string('c');
  m.endRow(0);
  t.values.int64(2_000_000_000n);
  e.endRow(0);
  k.values.int8(0);
  return nativeBlock(columns, nativeColumnHeaders(columns), 2);
}

describe('Native blocks', () => {
  it('are byte for byte what ClickHouse writes for the same values', async () => {
    const file = join(dir, 'clickhouse.native');
    await driver.exec(
      `INSERT INTO FUNCTION file({file:String}, 'Native', ` +
        `'a String, m Map(String, String), t DateTime64(9), e Array(UInt32), k Enum8(\\'x\\' = 0, \\'y\\' = 2)') ` +
        `SELECT * FROM values(('ab', map('k', 'v', 'k2', 'v2'), toDateTime64(1, 9, 'UTC'), [7, 8], 'y'), ` +
        `('c', map(), toDateTime64(2, 9, 'UTC'), [], 'x'))`,
      { file },
    );
    expect(smallBlock().toString('hex')).toBe(readFileSync(file).toString('hex'));
  });

  it('read back as written, arrays of maps included, several blocks as one insert', async () => {
    await driver.exec(
      'CREATE TABLE default.nested (id String, items Array(Map(String, String))) ENGINE = Memory',
    );
    const id = new ScalarColumn();
    const items = new ArrayOfMapsColumn();
    const columns: NamedNativeColumn[] = [
      { name: 'id', type: 'String', column: id },
      { name: 'items', type: 'Array(Map(String, String))', column: items },
    ];
    const headers = nativeColumnHeaders(columns);
    const blocks: Buffer[] = [];
    // Block 1: r1 = [{a: 1}, {}, {b: 2, c: 3}]; r2 = []. Block 2: r3 = [{}].
    id.values.string('r1');
    items.keys.string('a');
    items.values.string('1');
    items.endItem(1);
    items.endItem(0);
    for (const [key, value] of [
      ['b', '2'],
      ['c', '3'],
    ]) {
      items.keys.string(key);
      items.values.string(value);
    }
    items.endItem(2);
    items.endRow(3);
    id.values.string('r2');
    items.endRow(0);
    blocks.push(nativeBlock(columns, headers, 2));
    for (const { column } of columns) column.reset();
    id.values.string('r3');
    items.endItem(0);
    items.endRow(1);
    blocks.push(nativeBlock(columns, headers, 1));

    await driver.insertNative('default.nested', Buffer.concat(blocks));
    const rows = await driver.query<{ id: string; items: Record<string, string>[] }>(
      'SELECT id, items FROM default.nested ORDER BY id',
    );
    expect(rows).toEqual([
      { id: 'r1', items: [{ a: '1' }, {}, { b: '2', c: '3' }] },
      { id: 'r2', items: [] },
      { id: 'r3', items: [{}] },
    ]);
  });
});
