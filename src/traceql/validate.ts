import type {
  Aggregate,
  FieldExpression,
  PipelineStage,
  Position,
  Query,
  ScalarExpression,
  SpansetExpression,
  StaticValue,
} from './ast.js';
import type { InferredType } from './intrinsics.js';
import { INTRINSIC_TEXT, INTRINSIC_TYPES } from './intrinsics.js';
import { ParseError } from './parse-error.js';
import { COMPARISON_OPERATORS } from './precedence.js';
import { re2SyntaxProblem } from './re2-syntax.js';

/**
 * The checks the grammar cannot make, each one an error in Tempo too (its ast_validate.go): types
 * of operands (`status` against status values only, with `=` / `!=`; regexes against strings),
 * filters that are not conditions, aggregates and metrics functions with the wrong arguments, a
 * metrics stage anywhere but last. Regex syntax is checked only for what a scan finds without an
 * RE2 (re2-syntax.ts: a trailing backslash, unbalanced parentheses or brackets): Tempo and
 * ClickHouse use RE2, which JavaScript cannot check faithfully.
 *
 * It also bounds the depth of the tree (MAX_TREE_DEPTH), checked on the way down, before the
 * recursion could overflow.
 *
 * @returns the first problem, in the order the query is written, or undefined.
 */
export function validateQuery(query: Query): ParseError | undefined {
  try {
    checkSpanset(query, true, 0);
    return undefined;
  } catch (error) {
    if (error instanceof ParseError) return error;
    throw error;
  }
}

function fail(detail: string, position: Position): never {
  throw new ParseError(detail, position);
}

/**
 * How deep a tree may be. Chains like `.a = 1 || .a = 2 || …` parse in a loop but make a tree as
 * deep as they are long, and every later stage (this one, the printer, the compiler) recurses over
 * it; past this a query is refused rather than risking a stack overflow downstream.
 */
export const MAX_TREE_DEPTH = 512;

function descend(depth: number, position: Position): number {
  if (depth >= MAX_TREE_DEPTH) fail(`query nested too deeply (more than ${MAX_TREE_DEPTH} levels)`, position);
  return depth + 1;
}

function checkSpanset(expression: SpansetExpression, isRoot: boolean, parentDepth: number): void {
  const depth = descend(parentDepth, expression.position);
  switch (expression.kind) {
    case 'filter': {
      if (expression.condition === undefined) return;
      const type = checkField(expression.condition, depth);
      if (type !== 'boolean' && type !== 'attribute') {
        fail(`a filter condition must be a boolean, not ${article(type)}`, expression.condition.position);
      }
      return;
    }
    case 'spansetBinary':
      checkSpanset(expression.left, false, depth);
      checkSpanset(expression.right, false, depth);
      return;
    case 'pipeline': {
      checkSpanset(expression.source, false, depth);
      const last = expression.stages.length - 1;
      expression.stages.forEach((stage, index) => checkStage(stage, isRoot && index === last, depth));
      return;
    }
  }
}

function checkStage(stage: PipelineStage, metricsAllowed: boolean, parentDepth: number): void {
  const depth = descend(parentDepth, stage.position);
  switch (stage.kind) {
    case 'scalarFilter': {
      const left = checkScalar(stage.left, depth);
      const right = checkScalar(stage.right, depth);
      if (!left && !right) fail('a scalar filter needs an aggregate, as in count() > 2', stage.position);
      return;
    }
    case 'spansetFilter':
      return checkSpanset(stage.filter, false, depth);
    case 'select':
      for (const field of stage.fields) checkField(field, depth);
      return;
    case 'by':
      for (const field of stage.fields) {
        checkField(field, depth);
        if (!referencesSpan(field)) fail('by() needs a field of the span, not a constant', field.position);
      }
      return;
    case 'coalesce':
      return;
    case 'metrics':
      return checkMetrics(stage, metricsAllowed, depth);
  }
}

function checkMetrics(
  stage: Extract<PipelineStage, { kind: 'metrics' }>,
  allowed: boolean,
  depth: number,
): void {
  const name = `${stage.function}()`;
  if (!allowed) fail(`${name} must be the last stage of the query`, stage.position);
  const takesField = stage.function !== 'rate' && stage.function !== 'count_over_time';
  if (!takesField && stage.field !== undefined) fail(`${name} takes no arguments`, stage.field.position);
  if (takesField && stage.field === undefined) {
    fail(`${name} needs a field, as in ${stage.function}(duration)`, stage.position);
  }
  if (stage.field !== undefined) checkField(stage.field, depth);
  if (stage.function === 'quantile_over_time') {
    if (stage.arguments.length === 0) {
      fail(`${name} needs at least one quantile, as in quantile_over_time(duration, 0.9)`, stage.position);
    }
    const outside = stage.arguments.find((q) => !(q >= 0 && q <= 1));
    if (outside !== undefined) fail(`quantile ${outside} is not between 0 and 1`, stage.position);
  } else if (stage.arguments.length > 0 && takesField) {
    fail(`${name} takes a single field`, stage.position);
  }
  for (const field of stage.by) checkField(field, depth);
}

/** Checks a scalar expression; true when it contains an aggregate. */
function checkScalar(expression: ScalarExpression, parentDepth: number): boolean {
  const depth = descend(parentDepth, expression.position);
  switch (expression.kind) {
    case 'aggregate':
      checkAggregate(expression, depth);
      return true;
    case 'static': {
      const type = staticType(expression.value);
      if (!isNumeric(type)) fail(`expected a number, not ${article(type)}`, expression.position);
      return false;
    }
    case 'scalarBinary': {
      const left = checkScalar(expression.left, depth);
      return checkScalar(expression.right, depth) || left;
    }
  }
}

function checkAggregate(aggregate: Aggregate, depth: number): void {
  const name = `${aggregate.function}()`;
  if (aggregate.function === 'count') {
    if (aggregate.field !== undefined) fail('count() takes no field', aggregate.field.position);
    return;
  }
  if (aggregate.field === undefined)
    fail(`${name} needs a field, as in ${aggregate.function}(duration)`, aggregate.position);
  const type = checkField(aggregate.field, depth);
  if (type !== 'attribute' && !isNumeric(type))
    fail(`${name} needs a number, not ${article(type)}`, aggregate.field.position);
  if (!referencesSpan(aggregate.field))
    fail(`${name} needs a field of the span, not a constant`, aggregate.field.position);
}

/** Checks a field expression and returns its type, as Tempo's impliedType. */
function checkField(expression: FieldExpression, parentDepth: number): InferredType {
  const depth = descend(parentDepth, expression.position);
  switch (expression.kind) {
    case 'static':
      return staticType(expression.value);
    case 'intrinsic':
      return INTRINSIC_TYPES[expression.name];
    case 'attribute':
      return 'attribute';
    case 'unary': {
      const type = checkField(expression.operand, depth);
      if (expression.operator === '!') {
        if (type !== 'boolean' && type !== 'attribute')
          fail(`operator '!' needs a boolean, not ${article(type)}`, expression.position);
        return 'boolean';
      }
      if (type !== 'attribute' && !isNumeric(type))
        fail(`operator '-' needs a number, not ${article(type)}`, expression.position);
      return type;
    }
    case 'binary':
      return checkBinary(expression, depth);
  }
}

function checkBinary(expression: Extract<FieldExpression, { kind: 'binary' }>, depth: number): InferredType {
  const { operator, left, right, position } = expression;
  const leftType = checkField(left, depth);
  const rightType = checkField(right, depth);
  if (
    (operator === '=~' || operator === '!~') &&
    !(right.kind === 'static' && right.value.type === 'string')
  ) {
    fail(`operator '${operator}' needs a string literal on its right, as in "GET .*"`, right.position);
  }
  if ((operator === '=~' || operator === '!~') && right.kind === 'static' && right.value.type === 'string') {
    const problem = re2SyntaxProblem(right.value.value);
    if (problem !== undefined)
      fail(`invalid regular expression ${JSON.stringify(right.value.value)}: ${problem}`, right.position);
  }
  if (!matchingOperands(leftType, rightType)) {
    const hint = enumHint(leftType, rightType);
    if (COMPARISON_OPERATORS.has(operator))
      fail(`cannot compare ${article(leftType)} with ${article(rightType)}${hint}`, position);
    fail(`operator '${operator}' cannot combine ${article(leftType)} with ${article(rightType)}`, position);
  }
  for (const type of [leftType, rightType]) {
    if (!operatorApplies(operator, type))
      fail(`operator '${operator}' does not apply to ${article(type)}`, position);
  }
  if (operator === '=') {
    const nilable = leftType === 'nil' ? right : rightType === 'nil' ? left : undefined;
    if (nilable?.kind === 'intrinsic')
      fail(`${INTRINSIC_TEXT[nilable.name]} cannot be nil: intrinsics always have a value`, position);
    if (
      nilable?.kind === 'attribute' &&
      nilable.scope === 'resource' &&
      nilable.name === 'service.name' &&
      !nilable.parent
    ) {
      fail('resource.service.name cannot be nil: every span has one', position);
    }
  }
  if (COMPARISON_OPERATORS.has(operator) || operator === '&&' || operator === '||') return 'boolean';
  return leftType !== 'attribute' ? leftType : rightType;
}

function enumHint(left: InferredType, right: InferredType): string {
  const types = [left, right];
  if (types.includes('string') && types.includes('status'))
    return ' (status values are ok, error and unset, unquoted)';
  if (types.includes('string') && types.includes('kind')) {
    return ' (kinds are unspecified, internal, server, client, producer and consumer, unquoted)';
  }
  return '';
}

/** Tempo's isMatchingOperand: untyped attributes and nil match anything, numbers match numbers. */
function matchingOperands(left: InferredType, right: InferredType): boolean {
  if (left === 'attribute' || right === 'attribute' || left === 'nil' || right === 'nil') return true;
  return left === right || (isNumeric(left) && isNumeric(right));
}

/** Tempo's binaryTypeValid. */
function operatorApplies(operator: string, type: InferredType): boolean {
  switch (type) {
    case 'attribute':
      return true;
    case 'boolean':
      return ['&&', '||', '=', '!='].includes(operator);
    case 'integer':
    case 'float':
    case 'duration':
      return !['&&', '||', '=~', '!~'].includes(operator);
    case 'string':
      return COMPARISON_OPERATORS.has(operator);
    case 'nil':
    case 'status':
    case 'kind':
      return operator === '=' || operator === '!=';
  }
}

function referencesSpan(expression: FieldExpression): boolean {
  switch (expression.kind) {
    case 'static':
      return false;
    case 'intrinsic':
    case 'attribute':
      return true;
    case 'unary':
      return referencesSpan(expression.operand);
    case 'binary':
      return referencesSpan(expression.left) || referencesSpan(expression.right);
  }
}

function staticType(value: StaticValue): InferredType {
  const types = { string: 'string', int: 'integer', float: 'float', bool: 'boolean' } as const;
  return value.type in types ? types[value.type as keyof typeof types] : (value.type as InferredType);
}

function isNumeric(type: InferredType): boolean {
  return type === 'integer' || type === 'float' || type === 'duration';
}

function article(type: InferredType): string {
  if (type === 'nil') return 'nil';
  if (type === 'attribute') return 'an attribute';
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
