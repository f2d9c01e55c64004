import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestEngine } from '../../../test/support/chdb-test-session.js';
import { openTestEngine } from '../../../test/support/chdb-test-session.js';
import { quoteIdentifier, quoteString } from './sql-quote.js';

const HOSTILE = [
  'plain',
  'with space',
  'back`tick',
  "single'quote",
  'double"quote',
  'back\\slash',
  'trailing\\',
  '`; DROP DATABASE system; --',
  "x'); DROP TABLE t; --",
  'ünïcödé 租户 😀',
  'line\nbreak\ttab',
  'select',
];

describe('quoteIdentifier and quoteString', () => {
  let engine: TestEngine;
  beforeAll(() => {
    engine = openTestEngine();
  });
  afterAll(() => engine.close());

  it.each(HOSTILE)('%j reaches the engine as exactly one name', async (name) => {
    await engine.run(`CREATE DATABASE ${quoteIdentifier(name)}`);
    expect(await engine.value(`SELECT count() FROM system.databases WHERE name = ${quoteString(name)}`)).toBe(
      '1',
    );
    await engine.run(`DROP DATABASE ${quoteIdentifier(name)}`);
  });

  it.each(HOSTILE)('%j reaches the engine as exactly one string', async (text) => {
    const rows = await engine.rows<{ s: string }>(`SELECT ${quoteString(text)} AS s`);
    expect(rows).toEqual([{ s: text }]);
  });

  it('refuses a NUL, which would cut the statement short', () => {
    expect(() => quoteIdentifier('a\0b')).toThrow(/NUL/);
    expect(() => quoteString('a\0b')).toThrow(/NUL/);
  });
});
