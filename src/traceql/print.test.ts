import { describe, expect, it } from 'vitest';
import type { FieldExpression, Query, StaticValue } from './ast.js';
import { parseTraceQL } from './parser.js';
import { printTraceQL } from './print.js';
import { sameTree, stripPositions } from './strip-positions.js';
import { validQueries } from './test-corpus.js';

const at = { line: 1, column: 1, offset: 0 };
const value = (staticValue: StaticValue): FieldExpression => ({
  kind: 'static',
  value: staticValue,
  position: at,
});
const int = (n: bigint) => value({ type: 'int', value: n });
const float = (n: number) => value({ type: 'float', value: n });
const attr = (
  name: string,
  scope: 'none' | 'span' | 'resource' | 'event' = 'none',
  parent = false,
): FieldExpression => ({
  kind: 'attribute',
  scope,
  name,
  parent,
  position: at,
});
const bin = (
  operator: '+' | '*' | '^' | '=' | '&&' | '||' | '-',
  left: FieldExpression,
  right: FieldExpression,
): FieldExpression => ({
  kind: 'binary',
  operator,
  left,
  right,
  position: at,
});
const neg = (operand: FieldExpression): FieldExpression => ({
  kind: 'unary',
  operator: '-',
  operand,
  position: at,
});
const filter = (condition?: FieldExpression): Query => ({ kind: 'filter', condition, position: at });

/** Prints, checks that the text parses back to the same tree, returns the text. */
function printChecked(query: Query): string {
  const text = printTraceQL(query);
  expect(stripPositions(parseTraceQL(text))).toEqual(stripPositions(query));
  return text;
}

describe('printTraceQL: corpus round trip', () => {
  it.each(validQueries().map((entry) => [entry.query, entry.printed]))('%j', (query, printed) => {
    const tree = parseTraceQL(query);
    const text = printTraceQL(tree);
    if (printed !== undefined) expect(text).toBe(printed);
    const again = parseTraceQL(text);
    expect(stripPositions(again)).toEqual(stripPositions(tree));
    expect(printTraceQL(again)).toBe(text);
  });
});

describe('printTraceQL: parentheses', () => {
  it('keeps a negative literal from taking in what follows it', () => {
    expect(printChecked(filter(bin('=', bin('*', int(-1n), attr('a')), int(1n))))).toBe('{ (-1) * .a = 1 }');
    expect(printChecked(filter(bin('=', bin('*', bin('*', attr('a'), int(-1n)), attr('b')), int(1n))))).toBe(
      '{ .a * (-1) * .b = 1 }',
    );
    expect(printChecked(filter(bin('=', bin('+', int(-1n), attr('a')), int(1n))))).toBe('{ -1 + .a = 1 }');
    expect(printChecked(filter(bin('=', attr('a'), float(-0))))).toBe('{ .a = -0.0 }');
  });

  it('writes a negation of a literal so that it stays a negation', () => {
    expect(printChecked(filter(bin('=', attr('a'), neg(int(5n)))))).toBe('{ .a = -(5) }');
    expect(printChecked(filter(bin('=', attr('a'), neg(int(-5n)))))).toBe('{ .a = -(-5) }');
    expect(printChecked(filter(bin('=', neg(bin('+', attr('a'), int(1n))), int(1n))))).toBe(
      '{ -(.a + 1) = 1 }',
    );
    expect(printChecked(filter(bin('=', neg(bin('*', attr('a'), int(2n))), int(1n))))).toBe(
      '{ -.a * 2 = 1 }',
    );
    expect(printChecked(filter(bin('=', bin('^', neg(attr('a')), int(2n)), int(1n))))).toBe(
      '{ (-.a) ^ 2 = 1 }',
    );
  });

  it('brackets mixed && and || for the reader, though the parser would not need it', () => {
    expect(printChecked(filter(bin('&&', bin('||', attr('a'), attr('b')), attr('c'))))).toBe(
      '{ (.a || .b) && .c }',
    );
    expect(printChecked(filter(bin('&&', bin('&&', attr('a'), attr('b')), attr('c'))))).toBe(
      '{ .a && .b && .c }',
    );
    expect(printChecked(filter(bin('&&', attr('a'), bin('&&', attr('b'), attr('c')))))).toBe(
      '{ .a && (.b && .c) }',
    );
    expect(printChecked(filter(bin('=', bin('=', attr('a'), attr('b')), attr('c'))))).toBe(
      '{ (.a = .b) = .c }',
    );
  });

  it('brackets a pipeline wherever it is not the whole query', () => {
    const inner: Query = {
      kind: 'pipeline',
      source: filter(attr('a')),
      stages: [{ kind: 'coalesce', position: at }],
      position: at,
    };
    expect(
      printChecked({ kind: 'spansetBinary', operator: '>>', left: inner, right: filter(), position: at }),
    ).toBe('({ .a } | coalesce()) >> { }');
    expect(
      printChecked({
        kind: 'pipeline',
        source: inner,
        stages: [{ kind: 'spansetFilter', filter: inner, position: at }],
        position: at,
      }),
    ).toBe('({ .a } | coalesce()) | ({ .a } | coalesce())');
  });
});

describe('printTraceQL: values and names', () => {
  it('prints floats so they read back as the same float', () => {
    const print = (n: number) => printTraceQL(filter(bin('=', attr('a'), float(n))));
    expect(print(1)).toBe('{ .a = 1.0 }');
    expect(print(0.1)).toBe('{ .a = 0.1 }');
    expect(print(1e21)).toBe('{ .a = 1e+21 }');
    expect(print(1e-7)).toBe('{ .a = 1e-7 }');
    expect(print(-2.5)).toBe('{ .a = -2.5 }');
    for (const n of [1, 0.1, 1e21, 1e-7, -2.5, -0, Number.MAX_VALUE, Number.MIN_VALUE, 1 / 3]) {
      printChecked(filter(bin('=', attr('a'), float(n))));
    }
  });

  it('escapes strings the way Tempo unquotes them', () => {
    const print = (text: string) =>
      printChecked(filter(bin('=', attr('a'), value({ type: 'string', value: text }))));
    expect(print('say "hi"')).toBe('{ .a = "say \\"hi\\"" }');
    expect(print('back\\slash')).toBe('{ .a = "back\\\\slash" }');
    expect(print('a\nb\tc\rd')).toBe('{ .a = "a\\nb\\tc\\rd" }');
    expect(print('\u0000\u001f\u007f')).toBe('{ .a = "\\u0000\\u001f\\u007f" }');
    expect(print("')) OR 1=1 --")).toBe(`{ .a = "')) OR 1=1 --" }`);
    expect(print('é 日本語 😀')).toBe('{ .a = "é 日本語 😀" }');
  });

  it('quotes attribute names only where a bare name would read differently', () => {
    expect(printChecked(filter(attr('http.status_code', 'span')))).toBe('{ span.http.status_code }');
    expect(printChecked(filter(attr('foo-bar_1', 'resource')))).toBe('{ resource.foo-bar_1 }');
    expect(printChecked(filter(attr('http route', 'span')))).toBe('{ span."http route" }');
    expect(printChecked(filter(attr('a"b\\c')))).toBe('{ ."a\\"b\\\\c" }');
    expect(printChecked(filter(attr('5xx', 'span')))).toBe('{ span."5xx" }');
    expect(printChecked(filter(attr('')))).toBe('{ ."" }');
    expect(printChecked(filter(attr('名前', 'span')))).toBe('{ span."名前" }');
    expect(printChecked(filter(attr('new\nline')))).toBe('{ ."new\nline" }');
    // Unquoted, these would be the intrinsic or a scoped parent attribute.
    expect(printChecked(filter(attr('name')))).toBe('{ ."name" }');
    expect(printChecked(filter(attr('span:id')))).toBe('{ ."span:id" }');
    expect(printChecked(filter(attr('span.foo', 'none', true)))).toBe('{ parent."span.foo" }');
    expect(printChecked(filter(attr('foo', 'none', true)))).toBe('{ parent.foo }');
    expect(printChecked(filter(attr('foo', 'resource', true)))).toBe('{ parent.resource.foo }');
  });

  it('refuses a tree TraceQL has no text for', () => {
    expect(() => printTraceQL(filter(attr('foo', 'event', true)))).toThrow(
      "TraceQL has no syntax for a parent's event attribute",
    );
  });

  it('writes intrinsics in the form Tempo reads', () => {
    expect(
      printChecked(filter(bin('=', { kind: 'intrinsic', name: 'childCount', position: at }, int(1n)))),
    ).toBe('{ span:childCount = 1 }');
    expect(printTraceQL(parseTraceQL('{ trace:rootService = "a" && span:kind = server }'))).toBe(
      '{ rootServiceName = "a" && kind = server }',
    );
  });
});

describe('sameTree', () => {
  it('ignores positions, and nothing else', () => {
    const a = parseTraceQL('{ .a = 1 }');
    expect(sameTree(a, parseTraceQL('{\n  .a   =  1 }'))).toBe(true);
    expect(sameTree(a, parseTraceQL('{ .a = 2 }'))).toBe(false);
    expect(sameTree(parseTraceQL('{ .a = 0.0 }'), parseTraceQL('{ .a = -0.0 }'))).toBe(false);
    expect(sameTree(parseTraceQL('{ .a = 1 }'), parseTraceQL('{ .a = 1.0 }'))).toBe(false);
  });
});
