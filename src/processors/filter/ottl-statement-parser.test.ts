import { describe, expect, it } from 'vitest';
import { OttlParseError } from './ottl-ast.js';
import { parseOttlStatement } from './ottl-statement-parser.js';

describe('parseOttlStatement', () => {
  it('reads an editor call with paths, literals, lists and a where clause', () => {
    expect(parseOttlStatement('limit(attributes, 3, ["a", "b"]) where name == "x"')).toEqual({
      fn: 'limit',
      args: [
        { kind: 'path', path: 'attributes', key: undefined, column: 7 },
        { kind: 'literal', value: 3n },
        {
          kind: 'list',
          items: [
            { kind: 'literal', value: 'a' },
            { kind: 'literal', value: 'b' },
          ],
        },
      ],
      where: {
        kind: 'compare',
        op: '==',
        left: { kind: 'path', path: 'name', key: undefined, column: 40 },
        right: { kind: 'literal', value: 'x' },
      },
    });
  });

  it('reads an empty list and no arguments', () => {
    expect(parseOttlStatement('f([])')).toEqual({
      fn: 'f',
      args: [{ kind: 'list', items: [] }],
      where: undefined,
    });
    expect(parseOttlStatement('f()')).toEqual({ fn: 'f', args: [], where: undefined });
  });

  it.each([
    [
      'set(name, "x") when true',
      'at column 16: unexpected text after the statement; expected "where" or the end',
    ],
    ['"x"', 'at column 1: expected a function call such as set(name, "x")'],
    ['set(name, "x"', 'at column 14: expected ")"'],
    [
      'set(attributes["a"], Concat(["a"], ""))',
      'at column 22: Concat(...) is not supported as an argument: arguments are paths, values and lists',
    ],
  ])('refuses %s', (text, message) => {
    let error: unknown;
    try {
      parseOttlStatement(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(OttlParseError);
    expect((error as OttlParseError).message).toBe(message);
  });
});
