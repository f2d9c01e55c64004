import { describe, expect, it } from 'vitest';
import type { AttributeScope, FieldExpression, Intrinsic, Query, SpansetExpression } from './ast.js';
import { ParseError, UnsupportedError } from './parse-error.js';
import { parseTraceQL } from './parser.js';
import { stripPositions } from './strip-positions.js';
import { invalidQueries, validQueries } from './test-corpus.js';
import { MAX_NESTING } from './token-cursor.js';
import { MAX_TREE_DEPTH } from './validate.js';

const tree = (query: string): Query => stripPositions(parseTraceQL(query));

const attr = (scope: AttributeScope, name: string, parent = false) => ({
  kind: 'attribute',
  scope,
  name,
  parent,
});
const intrinsic = (name: Intrinsic) => ({ kind: 'intrinsic', name });
const str = (value: string) => ({ kind: 'static', value: { type: 'string', value } });
const int = (value: bigint) => ({ kind: 'static', value: { type: 'int', value } });
const float = (value: number) => ({ kind: 'static', value: { type: 'float', value } });
const duration = (nanos: bigint, text: string) => ({
  kind: 'static',
  value: { type: 'duration', nanos, text },
});
const status = (value: string) => ({ kind: 'static', value: { type: 'status', value } });
const bin = (operator: string, left: unknown, right: unknown) => ({ kind: 'binary', operator, left, right });
const unary = (operator: string, operand: unknown) => ({ kind: 'unary', operator, operand });
const filter = (condition?: unknown) => ({ kind: 'filter', condition });
const spans = (operator: string, left: unknown, right: unknown) => ({
  kind: 'spansetBinary',
  operator,
  left,
  right,
});
const pipeline = (source: unknown, ...stages: unknown[]) => ({ kind: 'pipeline', source, stages });
const count = () => ({ kind: 'aggregate', function: 'count', field: undefined });
const scalarFilter = (operator: string, left: unknown, right: unknown) => ({
  kind: 'scalarFilter',
  operator,
  left,
  right,
});

function error(query: string): ParseError {
  try {
    parseTraceQL(query);
  } catch (caught) {
    if (caught instanceof ParseError) return caught;
    throw caught;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be refused`);
}

describe('parseTraceQL: corpus', () => {
  const valid = validQueries();
  const invalid = invalidQueries();

  it('has enough of both', () => {
    expect(valid.length).toBeGreaterThanOrEqual(120);
    expect(invalid.length).toBeGreaterThanOrEqual(50);
  });

  it.each(valid.map((entry) => [entry.query]))('parses %j', (query) => {
    expect(() => parseTraceQL(query)).not.toThrow();
  });

  it.each(invalid.map((entry) => [entry.query, entry]))('refuses %j', (query, entry) => {
    const refusal = error(query);
    expect(refusal.message).toBe(entry.error);
    expect(refusal instanceof UnsupportedError).toBe(entry.unsupported);
  });
});

describe('parseTraceQL: trees', () => {
  it('builds the examples', () => {
    expect(tree('{ resource.service.name = "user-service" && duration > 300ms }')).toEqual(
      filter(
        bin(
          '&&',
          bin('=', attr('resource', 'service.name'), str('user-service')),
          bin('>', intrinsic('duration'), duration(300_000_000n, '300ms')),
        ),
      ),
    );
    expect(tree('{ span.http.status_code >= 500 } | count() > 2')).toEqual(
      pipeline(
        filter(bin('>=', attr('span', 'http.status_code'), int(500n))),
        scalarFilter('>', count(), int(2n)),
      ),
    );
    expect(tree('{ name = "fetch_limit" } >> { status = error }')).toEqual(
      spans(
        '>>',
        filter(bin('=', intrinsic('name'), str('fetch_limit'))),
        filter(bin('=', intrinsic('status'), status('error'))),
      ),
    );
  });

  it('reads `>` and `!~` as comparisons inside a filter and as structural operators outside', () => {
    expect(tree('{ .a > 1 } > { .b !~ "x" } !~ { }')).toEqual(
      spans(
        '!~',
        spans(
          '>',
          filter(bin('>', attr('none', 'a'), int(1n))),
          filter(bin('!~', attr('none', 'b'), str('x'))),
        ),
        filter(),
      ),
    );
  });

  it('gives && and || one precedence, left-associative, as Tempo', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => attr('none', name));
    expect(tree('{ .a || .b && .c }')).toEqual(filter(bin('&&', bin('||', a, b), c)));
    expect(tree('{ .a && .b || .c }')).toEqual(filter(bin('||', bin('&&', a, b), c)));
    expect(tree('{ .a } || { .b } && { .c }')).toEqual(
      spans('&&', spans('||', filter(a), filter(b)), filter(c)),
    );
  });

  it('binds comparisons tighter than && and looser than arithmetic', () => {
    const [a, b, c, d] = ['a', 'b', 'c', 'd'].map((name) => attr('none', name));
    expect(tree('{ .a = .b || .c = .d }')).toEqual(filter(bin('||', bin('=', a, b), bin('=', c, d))));
    expect(tree('{ .a + .b = .c }')).toEqual(filter(bin('=', bin('+', a, b), c)));
    expect(tree('{ .a = .b + .c * .d }')).toEqual(filter(bin('=', a, bin('+', b, bin('*', c, d)))));
  });

  it('binds ^ tightest, right-associative', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => attr('none', name));
    expect(tree('{ .a * .b ^ .c = 1 }')).toEqual(filter(bin('=', bin('*', a, bin('^', b, c)), int(1n))));
    expect(tree('{ .a ^ .b ^ .c = 1 }')).toEqual(filter(bin('=', bin('^', a, bin('^', b, c)), int(1n))));
    expect(tree('{ .a - .b - .c = 1 }')).toEqual(filter(bin('=', bin('-', bin('-', a, b), c), int(1n))));
  });

  it('gives prefix - and ! the operand Tempo gives them', () => {
    const [a, b] = ['a', 'b'].map((name) => attr('none', name));
    expect(tree('{ !.a = .b }')).toEqual(filter(bin('=', unary('!', a), b)));
    expect(tree('{ -.a = .b }')).toEqual(filter(bin('=', unary('-', a), b)));
    expect(tree('{ -.a * 2 = 1 }')).toEqual(filter(bin('=', unary('-', bin('*', a, int(2n))), int(1n))));
    expect(tree('{ .a = !.b && .a }')).toEqual(filter(bin('&&', bin('=', a, unary('!', b)), a)));
  });

  it('folds a minus directly before a literal into a negative literal', () => {
    expect(tree('{ .a = -5 }')).toEqual(filter(bin('=', attr('none', 'a'), int(-5n))));
    expect(tree('{ .a = - 1.5 }')).toEqual(filter(bin('=', attr('none', 'a'), float(-1.5))));
    expect(tree('{ duration > -1s }')).toEqual(
      filter(bin('>', intrinsic('duration'), duration(-1_000_000_000n, '-1s'))),
    );
    expect(tree('{ .a = -(5) }')).toEqual(filter(bin('=', attr('none', 'a'), unary('-', int(5n)))));
    expect(tree('{ .a = - -5 }')).toEqual(filter(bin('=', attr('none', 'a'), unary('-', int(-5n)))));
    expect(tree('{ .a = -2 ^ 2 }')).toEqual(
      filter(bin('=', attr('none', 'a'), unary('-', bin('^', int(2n), int(2n))))),
    );
  });

  it('puts | below every spanset operator, and takes a spanset expression as a stage', () => {
    const [a, b, c] = ['a', 'b', 'c'].map((name) => filter(attr('none', name)));
    expect(tree('{ .a } && { .b } | count() > 1')).toEqual(
      pipeline(spans('&&', a, b), scalarFilter('>', count(), int(1n))),
    );
    expect(tree('{ .a } | { .b } && { .c }')).toEqual(
      pipeline(a, { kind: 'spansetFilter', filter: spans('&&', b, c) }),
    );
    expect(tree('({ .a } | count() > 1) && { .b }')).toEqual(
      spans('&&', pipeline(a, scalarFilter('>', count(), int(1n))), b),
    );
  });

  it('parses scalar arithmetic with literals on either side', () => {
    const avg = { kind: 'aggregate', function: 'avg', field: intrinsic('duration') };
    expect(tree('{ } | 2 * count() + 1 > avg(duration) ^ 2')).toEqual(
      pipeline(
        filter(),
        scalarFilter(
          '>',
          {
            kind: 'scalarBinary',
            operator: '+',
            left: { kind: 'scalarBinary', operator: '*', left: int(2n), right: count() },
            right: int(1n),
          },
          { kind: 'scalarBinary', operator: '^', left: avg, right: int(2n) },
        ),
      ),
    );
    // In a scalar a minus belongs to its literal, as Tempo's UMINUS: (-1) ^ 2.
    expect(tree('{ } | -1 ^ 2 < count()')).toEqual(
      pipeline(
        filter(),
        scalarFilter('<', { kind: 'scalarBinary', operator: '^', left: int(-1n), right: int(2n) }, count()),
      ),
    );
  });

  it('parses every stage', () => {
    expect(tree('{ } | select(span.a, name) | by(resource.b, .c + 1) | coalesce()')).toEqual(
      pipeline(
        filter(),
        { kind: 'select', fields: [attr('span', 'a'), intrinsic('name')] },
        { kind: 'by', fields: [attr('resource', 'b'), bin('+', attr('none', 'c'), int(1n))] },
        { kind: 'coalesce' },
      ),
    );
    expect(
      tree('{ } | quantile_over_time(duration, .5, 0.99, 1) by (resource.service.name, span:name)'),
    ).toEqual(
      pipeline(filter(), {
        kind: 'metrics',
        function: 'quantile_over_time',
        field: intrinsic('duration'),
        arguments: [0.5, 0.99, 1],
        by: [attr('resource', 'service.name'), intrinsic('name')],
      }),
    );
    expect(tree('{ } | rate()')).toEqual(
      pipeline(filter(), { kind: 'metrics', function: 'rate', field: undefined, arguments: [], by: [] }),
    );
  });

  it('reads a query that opens with a stage as that stage over every span', () => {
    expect(tree('count() > 2')).toEqual(pipeline(filter(), scalarFilter('>', count(), int(2n))));
    expect(tree('by(.a) | { .b }')).toEqual(
      pipeline(
        filter(),
        { kind: 'by', fields: [attr('none', 'a')] },
        { kind: 'spansetFilter', filter: filter(attr('none', 'b')) },
      ),
    );
  });

  it('keeps hostile and unusual strings exactly', () => {
    const value = (query: string): unknown => {
      const parsed = parseTraceQL(query) as Extract<SpansetExpression, { kind: 'filter' }>;
      const condition = parsed.condition as Extract<FieldExpression, { kind: 'binary' }>;
      return condition.right.kind === 'static' ? condition.right.value : undefined;
    };
    expect(value(`{ .a = "')) OR 1=1 --" }`)).toEqual({ type: 'string', value: "')) OR 1=1 --" });
    expect(value('{ .a = "\'; DROP TABLE spans; --" }')).toEqual({
      type: 'string',
      value: "'; DROP TABLE spans; --",
    });
    expect(value('{ .a = "back\\\\slash \\" quote" }')).toEqual({
      type: 'string',
      value: 'back\\slash " quote',
    });
    expect(value('{ .a = `C:\\temp\\new` }')).toEqual({ type: 'string', value: 'C:\\temp\\new' });
    expect(value('{ .a = "日本語 é 😀" }')).toEqual({ type: 'string', value: '日本語 é 😀' });
    expect(value('{ .a = "\\u0000" }')).toEqual({ type: 'string', value: '\u0000' });
    expect(tree('{ span."\')) OR 1=1 --" = 1 }')).toEqual(
      filter(bin('=', attr('span', "')) OR 1=1 --"), int(1n))),
    );
  });

  it('gives every node the position of its first character', () => {
    const query = parseTraceQL('{ .a } && ({ .b } | count() > 1)');
    expect(query).toMatchObject({
      kind: 'spansetBinary',
      position: { line: 1, column: 1, offset: 0 },
      left: { position: { column: 1 } },
      right: {
        kind: 'pipeline',
        position: { column: 12 },
        source: { position: { column: 12 } },
        stages: [
          {
            position: { column: 21 },
            left: { position: { column: 21 } },
            right: { position: { column: 31 } },
          },
        ],
      },
    });
    expect(parseTraceQL('{ (.a + 1) * 2 > -3 }')).toMatchObject({
      condition: {
        position: { column: 3 },
        left: { position: { column: 3 }, left: { position: { column: 4 } } },
        right: { position: { column: 18 } },
      },
    });
  });
});

describe('parseTraceQL: errors', () => {
  it('carries the position and the message without it', () => {
    const refusal = error('{\n  .a = 1 &&\n}');
    expect(refusal).toBeInstanceOf(ParseError);
    expect(refusal.name).toBe('ParseError');
    expect(refusal.position).toEqual({ line: 3, column: 1, offset: 14 });
    expect(refusal.detail).toBe("expected a value after '&&'");
    expect(refusal.message).toBe("expected a value after '&&' at 3:1");
  });

  it('makes UnsupportedError a ParseError, so an edge mapping ParseError to 400 covers it', () => {
    const refusal = error('{ } | compare({ status = error })');
    expect(refusal).toBeInstanceOf(UnsupportedError);
    expect(refusal.name).toBe('UnsupportedError');
  });

  it(`refuses nesting deeper than ${MAX_NESTING}, at the bracket that goes too deep`, () => {
    const deep = (levels: number) => `{ ${'('.repeat(levels)}.a${')'.repeat(levels)} }`;
    expect(() => parseTraceQL(deep(MAX_NESTING - 1))).not.toThrow();
    expect(error(deep(MAX_NESTING)).message).toBe(
      `query nested too deeply (more than ${MAX_NESTING} levels) at 1:${MAX_NESTING + 2}`,
    );
    expect(error('('.repeat(100_000)).detail).toBe(
      `query nested too deeply (more than ${MAX_NESTING} levels)`,
    );
    expect(error(`{ ${'!'.repeat(100_000)}.a }`).detail).toBe(
      `query nested too deeply (more than ${MAX_NESTING} levels)`,
    );
    expect(error(`{ .a = ${'2 ^ '.repeat(100_000)}2 }`).detail).toBe(
      `query nested too deeply (more than ${MAX_NESTING} levels)`,
    );
  });

  it(`refuses trees deeper than ${MAX_TREE_DEPTH}, however they were written`, () => {
    const chain = (length: number) => `{ ${'.a = 1 && '.repeat(length)}.a = 1 }`;
    expect(() => parseTraceQL(chain(400))).not.toThrow();
    expect(error(chain(10_000)).detail).toBe(`query nested too deeply (more than ${MAX_TREE_DEPTH} levels)`);
    expect(error(`${'{ } >> '.repeat(10_000)}{ }`).detail).toBe(
      `query nested too deeply (more than ${MAX_TREE_DEPTH} levels)`,
    );
    expect(error(`{ } | ${'count() + '.repeat(10_000)}1 > 2`).detail).toBe(
      `query nested too deeply (more than ${MAX_TREE_DEPTH} levels)`,
    );
  });
});
