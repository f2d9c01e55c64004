import type {
  Aggregate,
  AggregateFunction,
  ArithmeticOperator,
  ComparisonOperator,
  FieldExpression,
  MetricsFunction,
  PipelineStage,
  ScalarExpression,
  SpansetExpression,
} from './ast.js';
import { expectFieldReference, literalValue, negate, parseFieldExpression } from './parse-field.js';
import { AGGREGATE_FUNCTIONS, METRICS_FUNCTIONS, STAGE_WORDS, UNSUPPORTED_FUNCTIONS } from './keywords.js';
import { UnsupportedError } from './parse-error.js';
import {
  ARITHMETIC_OPERATORS,
  FIELD_PRECEDENCE,
  RIGHT_ASSOCIATIVE,
  SCALAR_COMPARISON_OPERATORS,
} from './precedence.js';
import type { Token } from './token.js';
import { describeToken } from './token.js';
import type { TokenCursor } from './token-cursor.js';

/** What may follow `(… | count())` in Tempo's scalar pipeline expressions. */
const SCALAR_OPERATORS: ReadonlySet<string> = new Set([
  ...ARITHMETIC_OPERATORS,
  ...SCALAR_COMPARISON_OPERATORS,
]);

/** Parses the spanset operand of a `| { … } && { … }` stage; provided by the spanset parser. */
export type SpansetOperandParser = (cursor: TokenCursor) => SpansetExpression;

/** Whether the next token starts a stage that can also open a query (`count() > 2`, `by(.a) | …`). */
export function startsLeadingStage(cursor: TokenCursor): boolean {
  const token = firstAfterParentheses(cursor);
  if (token.kind === 'word') return AGGREGATE_FUNCTIONS.has(token.value) || STAGE_WORDS.has(token.value);
  return startsScalar(token);
}

/** One stage after `|`; the cursor is on its first token. */
export function parseStage(cursor: TokenCursor, parseSpanset: SpansetOperandParser): PipelineStage {
  const token = cursor.peek();
  const position = token.position;
  if (token.kind === 'punct' && (token.value === '{' || token.value === '(')) {
    const first = firstAfterParentheses(cursor);
    if (first.kind === 'punct' && first.value === '{') {
      return { kind: 'spansetFilter', filter: parseSpanset(cursor), position };
    }
  }
  if (token.kind === 'word' && !AGGREGATE_FUNCTIONS.has(token.value)) {
    const word = token.value;
    if (METRICS_FUNCTIONS.has(word)) return parseMetrics(cursor, word as MetricsFunction);
    if (UNSUPPORTED_FUNCTIONS.has(word)) throw new UnsupportedError(`${word}() is not supported`, position);
    if (!STAGE_WORDS.has(word)) {
      throw cursor.isPunct('(', 1)
        ? cursor.error(`unknown function '${word}'`)
        : cursor.error(`expected a pipeline stage but found ${describeToken(token)}`);
    }
    cursor.next();
    cursor.expect('(');
    if (word === 'coalesce') {
      cursor.expect(')');
      return { kind: 'coalesce', position };
    }
    const fields =
      word === 'by'
        ? commaList(cursor, () => parseFieldExpression(cursor))
        : commaList(cursor, () => expectFieldReference(cursor, 'in select()'));
    if (fields.length === 0) throw cursor.error(`${word}() needs at least one field`);
    cursor.expect(')');
    return word === 'by' ? { kind: 'by', fields, position } : { kind: 'select', fields, position };
  }
  if (!startsScalar(token)) throw cursor.unexpected('a pipeline stage');
  return parseScalarFilter(cursor);
}

function parseScalarFilter(cursor: TokenCursor): PipelineStage {
  const position = cursor.peek().position;
  const left = parseScalar(cursor, 1);
  const token = cursor.peek();
  if (token.kind !== 'punct' || !SCALAR_COMPARISON_OPERATORS.has(token.value)) {
    const after = cursor.peek(1);
    if (
      token.kind === 'punct' &&
      token.value === ')' &&
      after.kind === 'punct' &&
      SCALAR_OPERATORS.has(after.value)
    ) {
      // `({ … } | count()) > ({ … } | count())`: Tempo parses it, then calls it unsupported.
      throw new UnsupportedError('comparing the results of two pipelines is not supported', token.position);
    }
    throw cursor.error(`expected a comparison (=, !=, <, <=, >, >=) but found ${describeToken(token)}`);
  }
  cursor.next();
  const right = parseScalar(cursor, 1);
  return { kind: 'scalarFilter', operator: token.value as ComparisonOperator, left, right, position };
}

function parseScalar(cursor: TokenCursor, minPrecedence: number): ScalarExpression {
  const start = cursor.peek().position;
  let left = parseScalarPrimary(cursor);
  for (;;) {
    const token = cursor.peek();
    const operator = arithmeticOperator(token);
    if (operator === undefined || FIELD_PRECEDENCE[operator] < minPrecedence) return left;
    cursor.next();
    const precedence = FIELD_PRECEDENCE[operator];
    let right: ScalarExpression;
    if (operator === RIGHT_ASSOCIATIVE) {
      cursor.enter(token);
      right = parseScalar(cursor, precedence);
      cursor.leave();
    } else {
      right = parseScalar(cursor, precedence + 1);
    }
    left = { kind: 'scalarBinary', operator, left, right, position: start };
  }
}

function arithmeticOperator(token: Token): ArithmeticOperator | undefined {
  if (token.kind !== 'punct') return undefined;
  return ARITHMETIC_OPERATORS.has(token.value) ? (token.value as ArithmeticOperator) : undefined;
}

/** An aggregate, a number or duration (a `-` binds only to the literal, as Tempo's UMINUS), or `( … )`. */
function parseScalarPrimary(cursor: TokenCursor): ScalarExpression {
  const token = cursor.peek();
  if (token.kind === 'punct' && token.value === '(') {
    if (cursor.isPunct('{', 1))
      throw new UnsupportedError('arithmetic on query results is not supported', token.position);
    cursor.next();
    cursor.enter(token);
    const inner = parseScalar(cursor, 1);
    cursor.expect(')');
    cursor.leave();
    return inner;
  }
  if (token.kind === 'word' && AGGREGATE_FUNCTIONS.has(token.value)) return parseAggregate(cursor);
  const negative = token.kind === 'punct' && token.value === '-';
  const literalToken = negative ? cursor.peek(1) : token;
  const literal = isNumeric(literalToken) ? literalValue(literalToken) : undefined;
  if (literal === undefined) {
    if (negative) {
      cursor.next();
      throw cursor.error(`expected a number after '-' but found ${describeToken(cursor.peek())}`);
    }
    throw cursor.unexpected('a number or an aggregate');
  }
  cursor.next();
  if (negative) cursor.next();
  return {
    kind: 'static',
    value: negative ? (negate(literal) ?? literal) : literal,
    position: token.position,
  };
}

function parseAggregate(cursor: TokenCursor): Aggregate {
  const token = cursor.next();
  const name = token.text as AggregateFunction;
  cursor.expect('(');
  const field = cursor.isPunct(')') ? undefined : parseFieldExpression(cursor);
  cursor.expect(')');
  return { kind: 'aggregate', function: name, field, position: token.position };
}

/** `rate()`, `quantile_over_time(duration, .5, .99) by (resource.service.name)`. */
function parseMetrics(cursor: TokenCursor, name: MetricsFunction): PipelineStage {
  const position = cursor.next().position;
  cursor.expect('(');
  let field: FieldExpression | undefined;
  const numbers: number[] = [];
  if (!cursor.isPunct(')')) {
    field = expectFieldReference(cursor, `in ${name}()`);
    while (cursor.eat(',')) {
      const token = cursor.peek();
      if (token.kind !== 'int' && token.kind !== 'float') {
        throw cursor.error(`expected a number in ${name}() but found ${describeToken(token)}`);
      }
      numbers.push(Number(token.value));
      cursor.next();
    }
  }
  cursor.expect(')');
  let by: FieldExpression[] = [];
  if (cursor.isWord('by')) {
    cursor.next();
    cursor.expect('(');
    by = commaList(cursor, () => expectFieldReference(cursor, `in ${name}() by (…)`));
    if (by.length === 0) throw cursor.error(`${name}() by (…) needs at least one field`);
    cursor.expect(')');
  }
  const after = cursor.peek();
  if (after.kind === 'punct' && SCALAR_COMPARISON_OPERATORS.has(after.value)) {
    throw new UnsupportedError('filtering metrics results is not supported', after.position);
  }
  return { kind: 'metrics', function: name, field, arguments: numbers, by, position };
}

function commaList<T>(cursor: TokenCursor, item: () => T): T[] {
  const items: T[] = [];
  if (cursor.isPunct(')')) return items;
  do items.push(item());
  while (cursor.eat(','));
  return items;
}

function isNumeric(token: Token): boolean {
  return token.kind === 'int' || token.kind === 'float' || token.kind === 'duration';
}

function startsScalar(token: Token): boolean {
  if (token.kind === 'word') return AGGREGATE_FUNCTIONS.has(token.value);
  return isNumeric(token) || (token.kind === 'punct' && (token.value === '-' || token.value === '('));
}

/** The first token after any run of `(`: decides whether `((…` opens a spanset or a scalar. */
function firstAfterParentheses(cursor: TokenCursor): Token {
  let ahead = 0;
  while (cursor.isPunct('(', ahead)) ahead++;
  return cursor.peek(ahead);
}
