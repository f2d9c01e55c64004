import type { ComparisonOperator, FieldExpression, Position } from '../ast.js';
import type { AttributeRef, Collection, Operand, ValueType } from './operands.js';
import {
  COLLECTION_ARRAY,
  COLLECTION_INDEX,
  attributeRef,
  intrinsicSql,
  isTraceLevel,
  staticOperand,
} from './operands.js';
import { QueryCompileError, unsupported } from './query-error.js';
import type { SqlParams } from './sql-params.js';

/** What compiling a condition learned that the query around it must provide. */
export interface ConditionNeeds {
  /** rootName / rootServiceName / traceDuration: the per-trace join. */
  traceInfo: boolean;
}

const STATUS_NAMES: Record<string, readonly string[]> = {
  ok: ['Ok', 'STATUS_CODE_OK'],
  error: ['Error', 'STATUS_CODE_ERROR'],
  unset: ['Unset', 'STATUS_CODE_UNSET', ''],
};
const KIND_NAMES: Record<string, readonly string[]> = {
  unspecified: ['Unspecified', 'SPAN_KIND_UNSPECIFIED', ''],
  internal: ['Internal', 'SPAN_KIND_INTERNAL'],
  server: ['Server', 'SPAN_KIND_SERVER'],
  client: ['Client', 'SPAN_KIND_CLIENT'],
  producer: ['Producer', 'SPAN_KIND_PRODUCER'],
  consumer: ['Consumer', 'SPAN_KIND_CONSUMER'],
};

const SQL_COMPARISON: Record<Exclude<ComparisonOperator, '=~' | '!~'>, string> = {
  '=': '=',
  '!=': '!=',
  '>': '>',
  '>=': '>=',
  '<': '<',
  '<=': '<=',
};
const FLIPPED: Record<ComparisonOperator, ComparisonOperator> = {
  '=': '=',
  '!=': '!=',
  '>': '<',
  '>=': '<=',
  '<': '>',
  '<=': '>=',
  '=~': '=~',
  '!~': '!~',
};
const NUMERIC_TYPES = new Set<ValueType>(['int', 'float', 'duration']);

/**
 * Compiles the condition inside `{ … }` to a SQL boolean over one `otel_traces` row, with
 * TraceQL's semantics: a comparison with a missing attribute or a value of another type is false
 * (so `!=` matches only spans that have the attribute), numbers compare as numbers, strings as
 * strings, regexes are RE2 (ClickHouse's `match`).
 */
export class ConditionCompiler {
  readonly needs: ConditionNeeds = { traceInfo: false };

  constructor(private readonly params: SqlParams) {}

  condition(expression: FieldExpression): string {
    switch (expression.kind) {
      case 'binary':
        if (expression.operator === '&&' || expression.operator === '||') {
          const op = expression.operator === '&&' ? 'AND' : 'OR';
          return `(${this.condition(expression.left)} ${op} ${this.condition(expression.right)})`;
        }
        if (isComparison(expression.operator)) {
          return this.comparison(expression.operator, expression.left, expression.right, expression.position);
        }
        throw new QueryCompileError(
          `arithmetic '${expression.operator}' is not a condition`,
          expression.position,
        );
      case 'unary':
        if (expression.operator === '!') return `(NOT ${this.condition(expression.operand)})`;
        throw new QueryCompileError('a negative number is not a condition', expression.position);
      case 'static':
        if (expression.value.type === 'bool') return expression.value.value ? '1' : '0';
        throw new QueryCompileError(`a ${expression.value.type} is not a condition`, expression.position);
      case 'attribute':
        // `{ span.cache_hit }`: a boolean attribute that is true.
        return this.comparison(
          '=',
          expression,
          { kind: 'static', value: { type: 'bool', value: true }, position: expression.position },
          expression.position,
        );
      case 'intrinsic':
        throw new QueryCompileError(
          `'${expression.name}' is not a condition; compare it with a value`,
          expression.position,
        );
    }
  }

  private comparison(
    op: ComparisonOperator,
    leftField: FieldExpression,
    rightField: FieldExpression,
    position: Position,
  ): string {
    // Unscoped `.attr` means "the span's or the resource's".
    for (const [field, other, flip] of [
      [leftField, rightField, false],
      [rightField, leftField, true],
    ] as const) {
      if (field.kind === 'attribute' && field.scope === 'none') {
        const variants = (['span', 'resource'] as const).map((scope) => {
          const scoped: FieldExpression = { ...field, scope };
          return flip
            ? this.comparison(op, other, scoped, position)
            : this.comparison(op, scoped, other, position);
        });
        return `(${variants.join(' OR ')})`;
      }
    }
    let left = this.operand(leftField);
    let right = this.operand(rightField);
    let operator = op;
    // Keep the attribute (or the non-literal) on the left.
    if (right.kind === 'attribute' && left.kind !== 'attribute') {
      [left, right] = [right, left];
      operator = FLIPPED[op];
    }
    const collections = [collectionOf(left), collectionOf(right)].filter(
      (c): c is Collection => c !== undefined,
    );
    let sql = this.compare(operator, left, right, position);
    for (const collection of new Set(collections)) {
      sql = `arrayExists(${COLLECTION_INDEX[collection]} -> ${sql}, arrayEnumerate(${COLLECTION_ARRAY[collection]}))`;
    }
    return sql;
  }

  private compare(op: ComparisonOperator, left: Operand, right: Operand, position: Position): string {
    if (left.kind === 'nil' && right.kind === 'nil') return op === '=' ? '1' : '0';
    if (right.kind === 'nil' || left.kind === 'nil') {
      const other = right.kind === 'nil' ? left : right;
      if (op !== '=' && op !== '!=') throw new QueryCompileError(`nil compares only with = and !=`, position);
      if (other.kind !== 'attribute') return op === '=' ? '0' : '1';
      return op === '=' ? `(NOT ${other.ref.exists})` : other.ref.exists;
    }
    if (left.kind === 'attribute' && right.kind === 'attribute')
      return this.attributeVersusAttribute(op, left.ref, right.ref, position);
    if (left.kind === 'attribute')
      return this.attributeVersusTyped(op, left.ref, right as TypedOperand, position);
    return this.typedVersusTyped(op, left, right as TypedOperand, position);
  }

  private attributeVersusTyped(
    op: ComparisonOperator,
    ref: AttributeRef,
    value: TypedOperand,
    position: Position,
  ): string {
    switch (value.type) {
      case 'string': {
        if (ref.serviceNameColumn) return stringComparison(op, ref.text, value.sql);
        // Redundant with the exact test, but it is the form the items text index answers. Last,
        // so that AND's short-circuit builds the items only for rows that already match: on
        // tables with bloom filters (which answer the map test itself) it is not free.
        const hint =
          op === '=' && ref.items && value.text !== undefined
            ? ` AND has(${ref.items.column}, ${this.params.string(`${ref.items.key}=${value.text}`)})`
            : '';
        return `(${ref.exists} AND ${ref.type} = 'string' AND ${stringComparison(op, ref.text, value.sql)}${hint})`;
      }
      case 'int':
      case 'duration': {
        const sqlOp = ordered(op, `a ${value.type}`, position);
        return `((${ref.type} = 'int' AND toInt64OrNull(${ref.text}) ${sqlOp} ${value.sql}) OR (${ref.type} = 'double' AND toFloat64OrNull(${ref.text}) ${sqlOp} ${value.sql}))`;
      }
      case 'float': {
        const sqlOp = ordered(op, 'a float', position);
        return `(${ref.type} IN ('int', 'double') AND toFloat64OrNull(${ref.text}) ${sqlOp} ${value.sql})`;
      }
      case 'bool': {
        const sqlOp = equality(op, 'a boolean', position);
        return `(${ref.type} = 'bool' AND ${ref.text} ${sqlOp} ${value.sql === 'true' ? "'true'" : "'false'"})`;
      }
      case 'status':
      case 'kind':
        // An attribute never holds a status or kind keyword: TraceQL finds nothing.
        return '0';
    }
  }

  private attributeVersusAttribute(
    op: ComparisonOperator,
    a: AttributeRef,
    b: AttributeRef,
    position: Position,
  ): string {
    if (op === '=~' || op === '!~') {
      return `(${a.exists} AND ${b.exists} AND ${stringComparison(op, a.text, b.text)})`;
    }
    const sqlOp = ordered(op, 'an attribute', position);
    return `(${a.exists} AND ${b.exists} AND ((${a.type} IN ('int', 'double') AND ${b.type} IN ('int', 'double') AND toFloat64OrNull(${a.text}) ${sqlOp} toFloat64OrNull(${b.text})) OR (${a.type} = ${b.type} AND ${a.type} NOT IN ('int', 'double') AND ${a.text} ${sqlOp} ${b.text})))`;
  }

  private typedVersusTyped(
    op: ComparisonOperator,
    left: TypedOperand,
    right: TypedOperand,
    position: Position,
  ): string {
    if (left.type === 'status' || right.type === 'status' || left.type === 'kind' || right.type === 'kind') {
      return this.enumComparison(op, left, right, position);
    }
    if (NUMERIC_TYPES.has(left.type) && NUMERIC_TYPES.has(right.type)) {
      return `(${left.sql} ${ordered(op, 'a number', position)} ${right.sql})`;
    }
    if (left.type === 'string' && right.type === 'string') return stringComparison(op, left.sql, right.sql);
    if (left.type === 'bool' && right.type === 'bool') {
      return `(${left.sql} ${equality(op, 'a boolean', position)} ${right.sql})`;
    }
    throw new QueryCompileError(`cannot compare ${describe(left)} with ${describe(right)}`, position);
  }

  private enumComparison(
    op: ComparisonOperator,
    left: TypedOperand,
    right: TypedOperand,
    position: Position,
  ): string {
    const [column, literal] = left.literal === undefined ? [left, right] : [right, left];
    if (column.type !== literal.type || literal.literal === undefined || column.literal !== undefined) {
      throw new QueryCompileError(`cannot compare ${describe(left)} with ${describe(right)}`, position);
    }
    equality(op, `a ${column.type}`, position);
    const names = (column.type === 'status' ? STATUS_NAMES : KIND_NAMES)[literal.literal];
    const bound = this.params.bind(names, 'Array(String)');
    return op === '=' ? `has(${bound}, ${column.sql})` : `NOT has(${bound}, ${column.sql})`;
  }

  /** A numeric value of a field for arithmetic and aggregates; NULL where the span has none. */
  numeric(field: FieldExpression): string {
    if (field.kind === 'binary' && isArithmetic(field.operator)) {
      const left = this.numeric(field.left);
      const right = this.numeric(field.right);
      switch (field.operator) {
        case '^':
          return `pow(${left}, ${right})`;
        case '%':
          return `moduloOrNull(${left}, ${right})`;
        case '/':
          return `(${left} / nullIf(${right}, 0))`;
        default:
          return `(${left} ${field.operator} ${right})`;
      }
    }
    if (field.kind === 'unary' && field.operator === '-') return `(-${this.numeric(field.operand)})`;
    if (field.kind === 'attribute' && field.scope === 'none') {
      // Unscoped: the span's number, else the resource's.
      return `coalesce(${this.numeric({ ...field, scope: 'span' })}, ${this.numeric({ ...field, scope: 'resource' })})`;
    }
    const operand = this.operand(field);
    if (operand.kind === 'nil') return 'NULL';
    if (operand.kind === 'attribute') {
      if (operand.ref.collection) throw unsupported('arithmetic on event or link attributes', field.position);
      return `if(${operand.ref.type} IN ('int', 'double'), toFloat64OrNull(${operand.ref.text}), NULL)`;
    }
    if (!NUMERIC_TYPES.has(operand.type))
      throw new QueryCompileError(`${describe(operand)} is not a number`, field.position);
    return `toFloat64(${operand.sql})`;
  }

  operand(field: FieldExpression): Operand {
    switch (field.kind) {
      case 'static': {
        const operand = staticOperand(field.value, field.position, this.params);
        if (operand.kind === 'typed' && (field.value.type === 'status' || field.value.type === 'kind')) {
          return { ...operand, literal: field.value.value } as TypedOperand;
        }
        return operand;
      }
      case 'intrinsic': {
        if (isTraceLevel(field.name)) this.needs.traceInfo = true;
        const found = intrinsicSql(field.name, field.position);
        return {
          kind: 'typed',
          type: found.type,
          sql: found.sql,
          position: field.position,
          collection: found.collection,
        } as TypedOperand;
      }
      case 'attribute':
        if (field.parent) throw unsupported('parent attributes', field.position);
        if (field.scope === 'none') {
          throw new QueryCompileError('an unscoped attribute must be compared with a value', field.position);
        }
        return {
          kind: 'attribute',
          ref: attributeRef(field.scope, field.name, this.params),
          position: field.position,
        };
      case 'binary':
      case 'unary':
        if (
          (field.kind === 'binary' && !isArithmetic(field.operator)) ||
          (field.kind === 'unary' && field.operator === '!')
        ) {
          // A comparison used as a value (`(a = b) = true`).
          return { kind: 'typed', type: 'bool', sql: this.condition(field), position: field.position };
        }
        return { kind: 'typed', type: 'float', sql: this.numeric(field), position: field.position };
    }
  }
}

type TypedOperand = Extract<Operand, { kind: 'typed' }> & { literal?: string; collection?: Collection };

function collectionOf(operand: Operand): Collection | undefined {
  if (operand.kind === 'attribute') return operand.ref.collection;
  if (operand.kind === 'typed') return (operand as TypedOperand).collection;
  return undefined;
}

function stringComparison(op: ComparisonOperator, column: string, value: string): string {
  if (op === '=~') return `match(${column}, ${value})`;
  if (op === '!~') return `NOT match(${column}, ${value})`;
  return `(${column} ${SQL_COMPARISON[op]} ${value})`;
}

/** The SQL operator for a non-regex comparison of `what`. */
function ordered(op: ComparisonOperator, what: string, position: Position): string {
  if (op === '=~' || op === '!~')
    throw new QueryCompileError(`a regular expression cannot match ${what}`, position);
  return SQL_COMPARISON[op];
}

/** The SQL operator for an equality-only comparison of `what`. */
function equality(op: ComparisonOperator, what: string, position: Position): string {
  if (op !== '=' && op !== '!=') throw new QueryCompileError(`${what} compares only with = and !=`, position);
  return SQL_COMPARISON[op];
}

function describe(operand: TypedOperand): string {
  return operand.literal !== undefined ? `the ${operand.type} '${operand.literal}'` : `a ${operand.type}`;
}

function isComparison(op: string): op is ComparisonOperator {
  return op in FLIPPED;
}

function isArithmetic(op: string): op is '+' | '-' | '*' | '/' | '%' | '^' {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^';
}
