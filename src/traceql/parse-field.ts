import type { FieldExpression, Position, StaticValue } from './ast.js';
import { BARE_INTRINSICS, UNSUPPORTED_INTRINSICS } from './intrinsics.js';
import { LITERAL_WORDS, isReservedWord } from './keywords.js';
import { ParseError, UnsupportedError } from './parse-error.js';
import type { FieldBinaryOperator } from './precedence.js';
import {
  FIELD_OPERATORS,
  FIELD_PRECEDENCE,
  PREFIX_OPERAND_PRECEDENCE,
  RIGHT_ASSOCIATIVE,
} from './precedence.js';
import type { Token } from './token.js';
import { describeToken } from './token.js';
import type { TokenCursor } from './token-cursor.js';

/** The condition inside `{ … }`, or the field of an aggregate or `by(…)`: Tempo's fieldExpression. */
export function parseFieldExpression(cursor: TokenCursor): FieldExpression {
  return parseBinary(cursor, 1);
}

/**
 * Precedence climbing over FIELD_PRECEDENCE. A binary node's position is where its left operand's
 * text starts, an opening parenthesis included.
 */
function parseBinary(cursor: TokenCursor, minPrecedence: number): FieldExpression {
  const start = cursor.peek().position;
  let left = parseUnary(cursor);
  for (;;) {
    const token = cursor.peek();
    const operator = fieldOperator(token);
    if (operator === undefined || FIELD_PRECEDENCE[operator] < minPrecedence) return left;
    cursor.next();
    const precedence = FIELD_PRECEDENCE[operator];
    let right: FieldExpression;
    if (operator === RIGHT_ASSOCIATIVE) {
      // Right recursion grows the stack per operator, so it counts as nesting.
      cursor.enter(token);
      right = parseBinary(cursor, precedence);
      cursor.leave();
    } else {
      right = parseBinary(cursor, precedence + 1);
    }
    left = { kind: 'binary', operator, left, right, position: start };
  }
}

function fieldOperator(token: Token): FieldBinaryOperator | undefined {
  if (token.kind !== 'punct') return undefined;
  return FIELD_OPERATORS.get(token.value);
}

function parseUnary(cursor: TokenCursor): FieldExpression {
  const token = cursor.peek();
  if (token.kind !== 'punct' || (token.value !== '!' && token.value !== '-')) return parsePrimary(cursor);
  cursor.next();
  cursor.enter(token);
  const literal = cursor.peek();
  const operand = parseBinary(cursor, PREFIX_OPERAND_PRECEDENCE);
  cursor.leave();
  // `-5`, `-1.5`, `-1s` are negative literals, as Tempo folds them; `-(5)` and `-5 * 2` are not.
  const isLiteral = literal.kind === 'int' || literal.kind === 'float' || literal.kind === 'duration';
  if (
    token.value === '-' &&
    isLiteral &&
    operand.kind === 'static' &&
    operand.position === literal.position
  ) {
    const negative = negate(operand.value);
    if (negative !== undefined) return { kind: 'static', value: negative, position: token.position };
  }
  return { kind: 'unary', operator: token.value, operand, position: token.position };
}

export function negate(value: StaticValue): StaticValue | undefined {
  switch (value.type) {
    case 'int':
      return { type: 'int', value: -value.value };
    case 'float':
      return { type: 'float', value: -value.value };
    case 'duration':
      return { type: 'duration', nanos: -value.nanos, text: `-${value.text}` };
    default:
      return undefined;
  }
}

function parsePrimary(cursor: TokenCursor): FieldExpression {
  const token = cursor.peek();
  if (token.kind === 'punct' && token.value === '(') {
    cursor.next();
    cursor.enter(token);
    const inner = parseBinary(cursor, 1);
    cursor.expect(')');
    cursor.leave();
    return inner;
  }
  const literal = literalValue(token);
  if (literal !== undefined) {
    cursor.next();
    return { kind: 'static', value: literal, position: token.position };
  }
  if (token.kind === 'word' && !BARE_INTRINSICS.has(token.value)) {
    const next = cursor.peek(1);
    // `{ http.status_code = 200 }`: a word glued to an unscoped attribute is an attribute missing its scope.
    if (
      next.kind === 'attribute' &&
      next.scope === 'none' &&
      !next.parent &&
      next.position.offset === token.end
    ) {
      const path = token.text + next.text;
      throw new ParseError(
        `attribute '${path}' needs a scope, as in .${path} or span.${path}`,
        token.position,
      );
    }
    throw unknownWord(token.value, token.position);
  }
  const reference = fieldReference(cursor);
  if (reference !== undefined) return reference;
  const previous = cursor.previous();
  if (token.kind === 'punct' && token.value === '=' && previous?.kind === 'punct' && previous.value === '=') {
    throw new ParseError("'==' is not an operator: TraceQL compares with '='", previous.position);
  }
  throw cursor.unexpected('a value');
}

/** A literal token's value: string, number, duration, or a literal word (`true`, `nil`, `error`, `client`). */
export function literalValue(token: Token): StaticValue | undefined {
  switch (token.kind) {
    case 'string':
      return { type: 'string', value: token.value };
    case 'int':
      return { type: 'int', value: token.value };
    case 'float':
      return { type: 'float', value: token.value };
    case 'duration':
      return { type: 'duration', nanos: token.nanos, text: token.text };
    case 'word':
      return LITERAL_WORDS.get(token.value);
    default:
      return undefined;
  }
}

/** Consumes an attribute or intrinsic if one is next: what `select(…)` and metrics functions take. */
export function fieldReference(cursor: TokenCursor): FieldExpression | undefined {
  const token = cursor.peek();
  let reference: FieldExpression | undefined;
  if (token.kind === 'attribute') {
    const { scope, name, parent } = token;
    reference = { kind: 'attribute', scope, name, parent, position: token.position };
  } else if (token.kind === 'intrinsic') {
    reference = { kind: 'intrinsic', name: token.value, position: token.position };
  } else if (token.kind === 'word') {
    const intrinsic = BARE_INTRINSICS.get(token.value);
    if (intrinsic === undefined && !LITERAL_WORDS.has(token.value))
      throw unknownWord(token.value, token.position);
    if (intrinsic !== undefined) reference = { kind: 'intrinsic', name: intrinsic, position: token.position };
  }
  if (reference !== undefined) cursor.next();
  return reference;
}

/** Like fieldReference, but one is required here (`select(`, `rate() by (`); `what` names the place. */
export function expectFieldReference(cursor: TokenCursor, what: string): FieldExpression {
  const reference = fieldReference(cursor);
  if (reference !== undefined) return reference;
  throw cursor.error(`expected an attribute or intrinsic ${what} but found ${describeToken(cursor.peek())}`);
}

function unknownWord(word: string, position: Position): ParseError {
  if (UNSUPPORTED_INTRINSICS.has(word))
    return new UnsupportedError(`intrinsic '${word}' is not supported`, position);
  if (isReservedWord(word)) return new ParseError(`unexpected '${word}'`, position);
  return new ParseError(`unknown intrinsic '${word}'`, position);
}
