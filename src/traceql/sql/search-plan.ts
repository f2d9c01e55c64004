import type { FieldExpression, PipelineStage, Query, ScalarExpression, SpansetExpression } from '../ast.js';
import { ConditionCompiler } from './compile-condition.js';
import { fieldValueSql } from './field-values.js';
import { QueryCompileError } from './query-error.js';
import { SqlParams } from './sql-params.js';

/**
 * How a TraceQL search runs: SQL does what it does best — evaluate every `{ … }` condition on
 * every span in the time range, find the traces that can match, read back the spans that matched
 * something — and the evaluator does the rest per trace in memory: spanset `&&`/`||`, structural
 * relations, pipelines. This is Tempo's split too (conditions pushed into storage, the engine
 * above), with ClickHouse as the storage.
 */
export interface SearchPlan {
  readonly query: Query;
  /** One SQL boolean per spanset filter, in `filterIndex` order. */
  readonly filters: readonly string[];
  /** Index of each filter node (by identity) into `filters`. */
  readonly filterIndex: ReadonlyMap<SpansetExpression, number>;
  /** One SQL `(type, text)` tuple per field the evaluator reads. */
  readonly fields: readonly string[];
  /** Index of each field node (by identity) into `fields`. */
  readonly fieldIndex: ReadonlyMap<FieldExpression, number>;
  /** Fields shown as attributes of the result spans: those the conditions and `select()` name. */
  readonly outputFields: readonly { readonly index: number; readonly key: string }[];
  /** A trace-level SQL condition over `max(m<i>)` flags that every matching trace satisfies. */
  readonly prefilter: string;
  /** Numeric per-span SQL (`a<j>` in the candidate scan) that prefilter aggregates read. */
  readonly aggregateInputs: readonly string[];
  /** Structural operators need every span's parent, not only the matching spans. */
  readonly needsSkeleton: boolean;
  /** rootName / rootServiceName / traceDuration are used: join the per-trace facts. */
  readonly needsTraceInfo: boolean;
  readonly params: SqlParams;
}

/**
 * Bounds that keep a query's SQL within what ClickHouse parses (its `max_parser_depth` is 1000;
 * every condition node nests one level) and its evaluation within reason. Tempo has no such
 * queries in practice; a generated or hostile one gets a 400, not a 500.
 */
const MAX_FILTERS = 64;
const MAX_CONDITION_NODES = 256;

export function planSearch(query: Query): SearchPlan {
  checkSize(query);
  const params = new SqlParams();
  const conditions = new ConditionCompiler(params);
  const filters: string[] = [];
  const filterIndex = new Map<SpansetExpression, number>();
  const fields: string[] = [];
  const fieldIndex = new Map<FieldExpression, number>();
  const outputFields: { index: number; key: string }[] = [];
  const outputKeys = new Set<string>();
  let needsSkeleton = false;
  const aggregateInputs: string[] = [];

  /**
   * `{ A } | count() > 2` (or min/max/sum/avg of a field) right after a single filter can be
   * decided per trace in SQL — `countIf(m0) > 2` — so only traces that pass become candidates.
   * The evaluator checks it again; this only narrows.
   */
  const pushedDown = (filter: string, stage: PipelineStage | undefined): string | undefined => {
    if (stage?.kind !== 'scalarFilter') return undefined;
    const flipped = stage.left.kind !== 'aggregate';
    const aggregate = flipped ? stage.right : stage.left;
    const limit = flipped ? stage.left : stage.right;
    if (aggregate.kind !== 'aggregate' || limit.kind !== 'static') return undefined;
    const value = limit.value;
    const number =
      value.type === 'int'
        ? Number(value.value)
        : value.type === 'float'
          ? value.value
          : value.type === 'duration'
            ? Number(value.nanos)
            : undefined;
    if (number === undefined || !Number.isFinite(number)) return undefined;
    const operator = flipped ? FLIP[stage.operator] : FLIP[stage.operator] && stage.operator;
    if (operator === undefined) return undefined;
    const bound = params.bind(number, 'Float64');
    const flag = filter.replace(/^max\((m\d+)\)$/, '$1');
    if (aggregate.function === 'count') return `countIf(${flag}) ${operator} ${bound}`;
    if (!aggregate.field) return undefined;
    const input = aggregateInputs.length;
    aggregateInputs.push(conditions.numeric(aggregate.field));
    return `${aggregate.function}If(a${input}, ${flag}) ${operator} ${bound}`;
  };

  const addField = (field: FieldExpression, output: boolean): void => {
    let index = fieldIndex.get(field);
    if (index === undefined) {
      index = fields.length;
      fields.push(fieldValueSql(field, params, conditions));
      fieldIndex.set(field, index);
    }
    const key = outputKey(field);
    if (output && key !== undefined && !outputKeys.has(key)) {
      outputKeys.add(key);
      outputFields.push({ index, key });
    }
  };

  const visitCondition = (field: FieldExpression | undefined): void => {
    if (field === undefined) return;
    if (field.kind === 'attribute' && field.scope !== 'event' && field.scope !== 'link' && !field.parent)
      addField(field, true);
    if (field.kind === 'intrinsic' && field.name === 'status') addField(field, true);
    if (field.kind === 'binary') {
      visitCondition(field.left);
      visitCondition(field.right);
    }
    if (field.kind === 'unary') visitCondition(field.operand);
  };

  const visitScalar = (scalar: ScalarExpression): void => {
    if (scalar.kind === 'aggregate' && scalar.field) addField(scalar.field, false);
    if (scalar.kind === 'scalarBinary') {
      visitScalar(scalar.left);
      visitScalar(scalar.right);
    }
  };

  const visitStage = (stage: PipelineStage): void => {
    switch (stage.kind) {
      case 'scalarFilter':
        visitScalar(stage.left);
        visitScalar(stage.right);
        return;
      case 'spansetFilter':
        visitSpanset(stage.filter);
        return;
      case 'select':
        for (const field of stage.fields) addField(field, true);
        return;
      case 'by':
        for (const field of stage.fields) addField(field, true);
        return;
      case 'coalesce':
        return;
      case 'metrics':
        throw new QueryCompileError(
          `'${stage.function}' is a metrics query: ask /api/metrics/query_range for it, not search`,
          stage.position,
        );
    }
  };

  const visitSpanset = (expression: SpansetExpression): string => {
    switch (expression.kind) {
      case 'filter': {
        const index = filters.length;
        filters.push(expression.condition === undefined ? '1' : conditions.condition(expression.condition));
        filterIndex.set(expression, index);
        visitCondition(expression.condition);
        return `max(m${index})`;
      }
      case 'spansetBinary': {
        const left = visitSpanset(expression.left);
        const right = visitSpanset(expression.right);
        if (expression.operator === '||') return `(${left} OR ${right})`;
        if (expression.operator !== '&&') needsSkeleton = true;
        // `{A} !> {B}` keeps B spans without such a relation: only B must be present.
        if (expression.operator.startsWith('!')) return right;
        return `(${left} AND ${right})`;
      }
      case 'pipeline': {
        const source = visitSpanset(expression.source);
        for (const stage of expression.stages) visitStage(stage);
        const pushed =
          expression.source.kind === 'filter' ? pushedDown(source, expression.stages[0]) : undefined;
        return pushed === undefined ? source : `(${source} AND ${pushed})`;
      }
    }
  };

  const prefilter = visitSpanset(query);
  return {
    query,
    filters,
    filterIndex,
    fields,
    fieldIndex,
    outputFields,
    prefilter,
    aggregateInputs,
    needsSkeleton,
    needsTraceInfo: conditions.needs.traceInfo,
    params,
  };
}

function checkSize(query: Query): void {
  let filters = 0;
  const conditionNodes = (field: FieldExpression | undefined): number => {
    if (field === undefined) return 0;
    if (field.kind === 'binary') return 1 + conditionNodes(field.left) + conditionNodes(field.right);
    if (field.kind === 'unary') return 1 + conditionNodes(field.operand);
    return 1;
  };
  const visit = (expression: SpansetExpression): void => {
    if (expression.kind === 'filter') {
      filters++;
      if (filters > MAX_FILTERS) {
        throw new QueryCompileError(
          `a query may have at most ${MAX_FILTERS} spanset filters`,
          expression.position,
        );
      }
      if (conditionNodes(expression.condition) > MAX_CONDITION_NODES) {
        throw new QueryCompileError(
          `a spanset filter may have at most ${MAX_CONDITION_NODES} terms`,
          expression.position,
        );
      }
    } else if (expression.kind === 'spansetBinary') {
      visit(expression.left);
      visit(expression.right);
    } else {
      visit(expression.source);
      for (const stage of expression.stages) if (stage.kind === 'spansetFilter') visit(stage.filter);
    }
  };
  visit(query);
}

/** SQL operators for a scalar filter read right to left; regex operators never apply to numbers. */
const FLIP: Partial<Record<string, string>> = {
  '=': '=',
  '!=': '!=',
  '>': '<',
  '>=': '<=',
  '<': '>',
  '<=': '>=',
};

/** The attribute key a result shows for a field (Tempo shows the key without its scope). */
function outputKey(field: FieldExpression): string | undefined {
  if (field.kind === 'attribute') return field.name;
  if (field.kind === 'intrinsic') return field.name;
  return undefined;
}
