import type {
  FieldExpression,
  PipelineStage,
  Query,
  ScalarExpression,
  SpansetExpression,
  SpansetOperator,
  StaticValue,
} from './ast.js';
import { INTRINSIC_TEXT, intrinsicForUnscopedName } from './intrinsics.js';
import type { FieldBinaryOperator } from './precedence.js';
import {
  FIELD_PRECEDENCE,
  PREFIX_OPERAND_PRECEDENCE,
  RIGHT_ASSOCIATIVE,
  SPANSET_PRECEDENCE,
} from './precedence.js';

/**
 * A tree as TraceQL text that parses back to the same tree (positions aside). Parentheses are added
 * where precedence needs them, and also where `&&` meets `||` or comparisons are compared, though
 * the parser would not need them there, because a person reading the query might.
 */
export function printTraceQL(query: Query): string {
  return query.kind === 'pipeline' ? printPipeline(query) : printSpanset(query);
}

function printPipeline(pipeline: Extract<SpansetExpression, { kind: 'pipeline' }>): string {
  return [printSpanset(pipeline.source), ...pipeline.stages.map(printStage)].join(' | ');
}

/** A spanset expression where `|` does not follow: a pipeline inside it needs parentheses. */
function printSpanset(expression: SpansetExpression): string {
  switch (expression.kind) {
    case 'filter':
      return expression.condition === undefined ? '{ }' : `{ ${printField(expression.condition)} }`;
    case 'pipeline':
      return `(${printPipeline(expression)})`;
    case 'spansetBinary': {
      const { operator, left, right } = expression;
      const leftText = printSpanset(left);
      const rightText = printSpanset(right);
      return [
        spansetNeedsParentheses(left, operator, 'left') ? `(${leftText})` : leftText,
        operator,
        spansetNeedsParentheses(right, operator, 'right') ? `(${rightText})` : rightText,
      ].join(' ');
    }
  }
}

function spansetNeedsParentheses(
  child: SpansetExpression,
  parent: SpansetOperator,
  side: 'left' | 'right',
): boolean {
  if (child.kind !== 'spansetBinary') return false;
  const childPrecedence = SPANSET_PRECEDENCE[child.operator];
  const parentPrecedence = SPANSET_PRECEDENCE[parent];
  if (childPrecedence !== parentPrecedence) return childPrecedence < parentPrecedence;
  return side === 'right' || (isLogical(parent) && child.operator !== parent);
}

function printStage(stage: PipelineStage): string {
  switch (stage.kind) {
    case 'scalarFilter':
      return `${printScalar(stage.left)} ${stage.operator} ${printScalar(stage.right)}`;
    case 'spansetFilter':
      return printSpanset(stage.filter);
    case 'select':
      return `select(${stage.fields.map(printField).join(', ')})`;
    case 'by':
      return `by(${stage.fields.map(printField).join(', ')})`;
    case 'coalesce':
      return 'coalesce()';
    case 'metrics': {
      const args = [
        ...(stage.field === undefined ? [] : [printField(stage.field)]),
        ...stage.arguments.map(String),
      ];
      const by = stage.by.length === 0 ? '' : ` by (${stage.by.map(printField).join(', ')})`;
      return `${stage.function}(${args.join(', ')})${by}`;
    }
  }
}

function printScalar(expression: ScalarExpression): string {
  switch (expression.kind) {
    case 'aggregate':
      return `${expression.function}(${expression.field === undefined ? '' : printField(expression.field)})`;
    case 'static':
      // A `-` in a scalar binds only to its literal, so a negative number never needs parentheses.
      return printStatic(expression.value);
    case 'scalarBinary': {
      const { operator, left, right } = expression;
      const wrap = (child: ScalarExpression, side: 'left' | 'right'): string => {
        const text = printScalar(child);
        return child.kind === 'scalarBinary' && binaryChildNeedsParentheses(child.operator, operator, side)
          ? `(${text})`
          : text;
      };
      return `${wrap(left, 'left')} ${operator} ${wrap(right, 'right')}`;
    }
  }
}

function printField(expression: FieldExpression): string {
  switch (expression.kind) {
    case 'static':
      return printStatic(expression.value);
    case 'intrinsic':
      return INTRINSIC_TEXT[expression.name];
    case 'attribute':
      return printAttribute(expression);
    case 'unary': {
      const { operator, operand } = expression;
      const text = printField(operand);
      // `-(5)` stays a negation of 5: the parser folds only `-` directly before a literal.
      const wrap =
        (operand.kind === 'binary' && FIELD_PRECEDENCE[operand.operator] < PREFIX_OPERAND_PRECEDENCE) ||
        (operator === '-' && operand.kind === 'static' && isNumber(operand.value));
      return wrap ? `${operator}(${text})` : `${operator}${text}`;
    }
    case 'binary': {
      const { operator, left, right } = expression;
      return `${wrapOperand(left, operator, 'left')} ${operator} ${wrapOperand(right, operator, 'right')}`;
    }
  }
}

function wrapOperand(child: FieldExpression, parent: FieldBinaryOperator, side: 'left' | 'right'): string {
  const text = printField(child);
  let wrap = false;
  if (child.kind === 'binary') {
    wrap = binaryChildNeedsParentheses(child.operator, parent, side);
  } else if (child.kind === 'unary' || (child.kind === 'static' && text.startsWith('-'))) {
    // A prefix operator takes `* / % ^` into its operand: `-a * b` would read as `-(a * b)`.
    wrap = FIELD_PRECEDENCE[parent] >= PREFIX_OPERAND_PRECEDENCE;
  }
  return wrap ? `(${text})` : text;
}

function binaryChildNeedsParentheses(
  child: FieldBinaryOperator,
  parent: FieldBinaryOperator,
  side: 'left' | 'right',
): boolean {
  const childPrecedence = FIELD_PRECEDENCE[child];
  const parentPrecedence = FIELD_PRECEDENCE[parent];
  if (childPrecedence !== parentPrecedence) return childPrecedence < parentPrecedence;
  if (FIELD_PRECEDENCE[parent] === FIELD_PRECEDENCE['=']) return true; // `(a = b) = c`, for the reader
  if (isLogical(parent) && child !== parent) return true;
  return parent === RIGHT_ASSOCIATIVE ? side === 'left' : side === 'right';
}

function isLogical(operator: string): boolean {
  return operator === '&&' || operator === '||';
}

function isNumber(value: StaticValue): boolean {
  return value.type === 'int' || value.type === 'float' || value.type === 'duration';
}

export function printStatic(value: StaticValue): string {
  switch (value.type) {
    case 'string':
      return printString(value.value);
    case 'int':
      return value.value.toString();
    case 'float':
      return printFloat(value.value);
    case 'bool':
      return String(value.value);
    case 'duration':
      return value.text;
    case 'nil':
      return 'nil';
    case 'status':
    case 'kind':
      return value.value;
  }
}

/** Shortest text that reads back as the same float, and as a float, not an integer. */
function printFloat(value: number): string {
  if (Object.is(value, -0)) return '-0.0';
  const text = String(value);
  return /[.eE]/.test(text) || !Number.isFinite(value) ? text : `${text}.0`;
}

/** Double-quoted with the escapes Go's strconv.Unquote (and so Tempo) reads. */
function printString(value: string): string {
  return `"${value.replace(/[\\"\p{Cc}]/gu, escapeChar)}"`;
}

const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function escapeChar(char: string): string {
  return NAMED_ESCAPES[char] ?? `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

const BARE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

function printAttribute({ scope, name, parent }: Extract<FieldExpression, { kind: 'attribute' }>): string {
  if (parent && scope !== 'none' && scope !== 'span' && scope !== 'resource') {
    throw new Error(`TraceQL has no syntax for a parent's ${scope} attribute`);
  }
  const prefix = (parent ? 'parent.' : '') + (scope === 'none' ? (parent ? '' : '.') : `${scope}.`);
  const quote =
    !BARE_NAME.test(name) ||
    (scope === 'none' && !parent && intrinsicForUnscopedName(name) !== undefined) ||
    (scope === 'none' && parent && /^(span|resource)\./.test(name));
  // Tempo reads only \" and \\ in attribute names; anything else, a newline too, may stand as it is.
  return prefix + (quote ? `"${name.replace(/[\\"]/g, '\\$&')}"` : name);
}
