import type { ArithmeticOperator, ComparisonOperator, LogicalOperator, SpansetOperator } from './ast.js';

/**
 * Binding strength of binary operators, higher binds tighter, from Tempo's expr.y. Note that
 * Tempo puts `&&` and `||` on ONE level, left-associative: `{ .a || .b && .c }` is
 * `{ (.a || .b) && .c }` in Tempo, so it is here. Parser and printer both read this table.
 */
export type FieldBinaryOperator = ComparisonOperator | ArithmeticOperator | LogicalOperator;

export const FIELD_PRECEDENCE: Readonly<Record<FieldBinaryOperator, number>> = {
  '&&': 1,
  '||': 1,
  '=': 2,
  '!=': 2,
  '<': 2,
  '<=': 2,
  '>': 2,
  '>=': 2,
  '=~': 2,
  '!~': 2,
  '+': 3,
  '-': 3,
  '*': 4,
  '/': 4,
  '%': 4,
  '^': 5,
};

/**
 * Tempo's prefix `-` and `!` bind looser than `* / % ^` (its yacc rules take the precedence of
 * SUB and NOT): `-.a * 2` is `-(.a * 2)` and `!.a = .b` is `(!.a) = .b`. So a prefix operator's
 * operand is parsed at this level.
 */
export const PREFIX_OPERAND_PRECEDENCE = 4;

/** `^` is the only right-associative operator. */
export const RIGHT_ASSOCIATIVE: FieldBinaryOperator = '^';

/** Between spansets: structural operators bind tighter than `&&` / `||` (one level), and `|` loosest. */
export const SPANSET_PRECEDENCE: Readonly<Record<SpansetOperator, number>> = {
  '&&': 1,
  '||': 1,
  '>>': 2,
  '>': 2,
  '~': 2,
  '<<': 2,
  '<': 2,
  '!>>': 2,
  '!>': 2,
  '!~': 2,
  '!<<': 2,
  '!<': 2,
  '&>>': 2,
  '&>': 2,
  '&~': 2,
  '&<<': 2,
  '&<': 2,
};

export const COMPARISON_OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>([
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  '=~',
  '!~',
]);

/** Scalar filters (`| count() > 2`) compare numbers, so no regex operators. */
export const SCALAR_COMPARISON_OPERATORS: ReadonlySet<string> = new Set<ComparisonOperator>([
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
]);

export const ARITHMETIC_OPERATORS: ReadonlySet<string> = new Set<ArithmeticOperator>([
  '+',
  '-',
  '*',
  '/',
  '%',
  '^',
]);

/** The field operator a punctuator is, if any; a Map because the parser asks at every token. */
export const FIELD_OPERATORS: ReadonlyMap<string, FieldBinaryOperator> = new Map(
  Object.keys(FIELD_PRECEDENCE).map((operator) => [operator, operator as FieldBinaryOperator]),
);

export const SPANSET_OPERATORS: ReadonlyMap<string, SpansetOperator> = new Map(
  Object.keys(SPANSET_PRECEDENCE).map((operator) => [operator, operator as SpansetOperator]),
);
