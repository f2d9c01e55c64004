import { describe, expect, it } from 'vitest';
import { attributesFromColumns } from './attribute-values.js';

const kv = (key: string, value: unknown) => ({ key, value });

describe('attributesFromColumns', () => {
  it('reads each attribute of a repeated key with its own type and exact value, given the entries', () => {
    // As encode-span-rows.ts stores [dup: 1, dup: 'two', dup: ['a'], dup: {k: 2}, dup: '7', x: 3]:
    // the type map has a type for each `dup`; as objects, the maps keep the last of each key.
    const entries = [
      ['dup', 'dup', 'dup', 'dup', 'dup', 'x'],
      ['int', 'string', 'array', 'kvlist', 'string', 'int'],
      ['dup', 'dup'],
      [
        '{"arrayValue":{"values":[{"stringValue":"a"}]}}',
        '{"kvlistValue":{"values":[{"key":"k","value":{"intValue":"2"}}]}}',
      ],
    ] as const;
    expect(
      attributesFromColumns(
        ['dup', 'dup', 'dup', 'dup', 'dup', 'x'],
        ['1', 'two', '["a"]', '{"k":2}', '7', '3'],
        { dup: 'string', x: 'int' },
        { dup: entries[3][1] },
        entries,
      ),
    ).toEqual([
      kv('dup', 1n),
      kv('dup', 'two'),
      kv('dup', ['a']),
      kv('dup', { kvlistValue: [kv('k', 2n)] }),
      kv('dup', '7'),
      kv('x', 3n),
    ]);
  });

  it('never fails on a text that is not of the one type the maps hold for a repeated key', () => {
    // Rows of trace-spans layouts 1 and 2 hold the maps as objects only; an earlier version wrote
    // no type for the strings of such a key. The probe's span, [dup: 1, dup: 'two'], failed here.
    expect(attributesFromColumns(['dup', 'dup'], ['1', 'two'], { dup: 'int' }, {})).toEqual([
      kv('dup', 1n),
      kv('dup', 'two'),
    ]);
    const keys = ['k', 'k', 'k', 'k', 'k', 'k'];
    const texts = ['x', '', 'AQI', 'maybe', '[5]', '[5.5]'];
    const exact = '{"arrayValue":{"values":[{"doubleValue":5.5}]}}';
    for (const type of ['bool', 'int', 'double', 'bytes', 'empty'])
      expect(attributesFromColumns(keys, texts, { k: type }, {}).map((a) => typeof a.value)).toContain(
        'string',
      );
    // An exact value is another attribute's when its collector string is not this one's.
    expect(attributesFromColumns(keys, texts, { k: 'array' }, { k: exact }).map((a) => a.value)).toEqual([
      ...texts.slice(0, 5),
      [5.5],
    ]);
    // An earlier version's entries (strings left out): fewer types than attributes, read as above.
    expect(
      attributesFromColumns(['n', 'n', 'n'], ['7', '8', 'x'], { n: 'double' }, {}, [
        ['n', 'n'],
        ['int', 'double'],
        [],
        [],
      ]),
    ).toEqual([kv('n', 7), kv('n', 8), kv('n', 'x')]);
  });
});
