import type {
  ComparisonOperator,
  PipelineStage,
  ScalarExpression,
  SpansetExpression,
  StaticValue,
  StructuralOperator,
} from '../../traceql/ast.js';
import type { SearchPlan } from '../../traceql/sql/search-plan.js';

/** A field value as SQL returned it: the type name and the stored text (null for NULL). */
export interface FieldValue {
  readonly type: string;
  readonly text: string | null;
}

/** A span of a candidate trace that matched at least one filter. */
export interface MatchedSpan {
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly serviceName: string;
  readonly startNanos: bigint;
  readonly durationNanos: bigint;
  /** 1 where the span matched the filter of that index. */
  readonly flags: readonly number[];
  readonly fields: readonly FieldValue[];
}

export interface CandidateTrace {
  readonly spans: readonly MatchedSpan[];
  /** span id → parent span id for every span of the trace (structural queries only). */
  readonly parents: ReadonlyMap<string, string> | undefined;
}

export interface Spanset {
  readonly spans: readonly MatchedSpan[];
  /** The `by()` values this spanset was grouped on. */
  readonly by: readonly { readonly index: number; readonly value: FieldValue }[];
}

/**
 * Evaluates a TraceQL spanset expression over one trace, in memory, after SQL has flagged which
 * spans match which filter. Returns the trace's non-empty spansets; none means the trace does not
 * match. Semantics as Tempo's engine: `{A} && {B}` needs both present and returns the spans of
 * both, structural operators return the right-hand spans that have the relation (`!`: that lack
 * it; `&`: the spans of both sides that take part in it).
 */
export function evaluateTrace(plan: SearchPlan, trace: CandidateTrace): Spanset[] {
  return new TraceEvaluator(plan, trace).spansets(plan.query).filter((set) => set.spans.length > 0);
}

class TraceEvaluator {
  private readonly byId = new Map<string, MatchedSpan>();

  constructor(
    private readonly plan: SearchPlan,
    private readonly trace: CandidateTrace,
  ) {
    for (const span of trace.spans) this.byId.set(span.spanId, span);
  }

  spansets(expression: SpansetExpression): Spanset[] {
    switch (expression.kind) {
      case 'filter': {
        const index = this.plan.filterIndex.get(expression);
        if (index === undefined) throw new Error('filter missing from the plan');
        const spans = this.trace.spans.filter((span) => span.flags[index] === 1);
        return spans.length > 0 ? [{ spans, by: [] }] : [];
      }
      case 'spansetBinary': {
        const left = this.spansets(expression.left);
        const right = this.spansets(expression.right);
        if (expression.operator === '&&') {
          return left.length > 0 && right.length > 0 ? [merge([...left, ...right])] : [];
        }
        if (expression.operator === '||') {
          const all = [...left, ...right];
          return all.length > 0 ? [merge(all)] : [];
        }
        const result = this.structural(expression.operator, flatten(left), flatten(right));
        return result.length > 0 ? [{ spans: result, by: [] }] : [];
      }
      case 'pipeline': {
        let sets = this.spansets(expression.source);
        for (const stage of expression.stages) sets = this.stage(stage, sets);
        return sets;
      }
    }
  }

  private stage(stage: PipelineStage, sets: Spanset[]): Spanset[] {
    switch (stage.kind) {
      case 'scalarFilter':
        return sets.filter((set) =>
          compareNumbers(stage.operator, this.scalar(stage.left, set), this.scalar(stage.right, set)),
        );
      case 'spansetFilter': {
        const keep = new Set(flatten(this.spansets(stage.filter)));
        return sets
          .map((set) => ({ spans: set.spans.filter((span) => keep.has(span)), by: set.by }))
          .filter((set) => set.spans.length > 0);
      }
      case 'by': {
        const indexes = stage.fields.map((field) => this.fieldIndex(field));
        const out: Spanset[] = [];
        for (const set of sets) {
          const groups = new Map<string, MatchedSpan[]>();
          for (const span of set.spans) {
            const key = JSON.stringify(indexes.map((i) => span.fields[i]));
            const group = groups.get(key);
            if (group) group.push(span);
            else groups.set(key, [span]);
          }
          for (const spans of groups.values()) {
            out.push({
              spans,
              by: [...set.by, ...indexes.map((index) => ({ index, value: spans[0].fields[index] }))],
            });
          }
        }
        return out;
      }
      case 'coalesce':
        return sets.length > 0 ? [merge(sets)] : [];
      case 'select':
      case 'metrics':
        // select() only adds output fields (planned); metrics stages never reach search.
        return sets;
    }
  }

  private scalar(expression: ScalarExpression, set: Spanset): number | undefined {
    switch (expression.kind) {
      case 'static':
        return staticNumber(expression.value);
      case 'scalarBinary': {
        const left = this.scalar(expression.left, set);
        const right = this.scalar(expression.right, set);
        if (left === undefined || right === undefined) return undefined;
        return arithmetic(expression.operator, left, right);
      }
      case 'aggregate': {
        if (expression.function === 'count') return set.spans.length;
        if (!expression.field) return undefined;
        const index = this.fieldIndex(expression.field);
        const values = set.spans
          .map((span) => fieldNumber(span.fields[index]))
          .filter((v): v is number => v !== undefined);
        if (values.length === 0) return undefined;
        switch (expression.function) {
          case 'sum':
            return values.reduce((a, b) => a + b, 0);
          case 'avg':
            return values.reduce((a, b) => a + b, 0) / values.length;
          case 'min':
            return values.reduce((a, b) => Math.min(a, b));
          case 'max':
            return values.reduce((a, b) => Math.max(a, b));
        }
      }
    }
  }

  private fieldIndex(field: Parameters<SearchPlan['fieldIndex']['get']>[0]): number {
    const index = this.plan.fieldIndex.get(field);
    if (index === undefined) throw new Error('field missing from the plan');
    return index;
  }

  private structural(operator: StructuralOperator, left: MatchedSpan[], right: MatchedSpan[]): MatchedSpan[] {
    const base = operator.replace(/^[!&]/, '') as Relation;
    const relatedToLeft = this.relationTo(base, left);
    if (operator.startsWith('!')) return right.filter((span) => !relatedToLeft(span));
    const matchedRight = right.filter(relatedToLeft);
    if (!operator.startsWith('&')) return matchedRight;
    if (matchedRight.length === 0) return [];
    // Union form: also the left spans that take part (seen from their side, the inverse relation).
    const relatedToRight = this.relationTo(INVERSE[base], right);
    return [...new Set([...left.filter(relatedToRight), ...matchedRight])];
  }

  /**
   * A test "does this span stand in `relation` to one of `others`" (`>`: is it a child of one),
   * with the others indexed once, so a 10,000-span trace costs a pass, not a square.
   */
  private relationTo(relation: Relation, others: MatchedSpan[]): (span: MatchedSpan) => boolean {
    const ids = new Set(others.map((span) => span.spanId));
    switch (relation) {
      case '>':
        return (span) => ids.has(span.parentSpanId);
      case '>>':
        return (span) => this.ancestors(span.spanId).some((id) => ids.has(id));
      case '<': {
        const parents = new Set(others.map((span) => span.parentSpanId));
        return (span) => parents.has(span.spanId);
      }
      case '<<': {
        const ancestors = new Set(others.flatMap((span) => this.ancestors(span.spanId)));
        return (span) => ancestors.has(span.spanId);
      }
      case '~': {
        const childrenOf = new Map<string, number>();
        for (const span of others)
          childrenOf.set(span.parentSpanId, (childrenOf.get(span.parentSpanId) ?? 0) + 1);
        return (span) =>
          span.parentSpanId !== '' &&
          (childrenOf.get(span.parentSpanId) ?? 0) - (ids.has(span.spanId) ? 1 : 0) > 0;
      }
    }
  }

  private parentOf(spanId: string): string | undefined {
    return this.trace.parents?.get(spanId) ?? this.byId.get(spanId)?.parentSpanId;
  }

  private ancestors(spanId: string): string[] {
    const out: string[] = [];
    const seen = new Set<string>([spanId]);
    let parent = this.parentOf(spanId);
    // Bounded by the trace's size: a cycle in hostile data must not loop forever.
    while (parent !== undefined && parent !== '' && !seen.has(parent)) {
      out.push(parent);
      seen.add(parent);
      parent = this.parentOf(parent);
    }
    return out;
  }
}

type Relation = '>>' | '>' | '~' | '<<' | '<';
const INVERSE: Record<Relation, Relation> = { '>': '<', '<': '>', '>>': '<<', '<<': '>>', '~': '~' };

function merge(sets: Spanset[]): Spanset {
  return { spans: [...new Set(flatten(sets))], by: [] };
}

function flatten(sets: Spanset[]): MatchedSpan[] {
  return sets.flatMap((set) => set.spans);
}

function staticNumber(value: StaticValue): number | undefined {
  switch (value.type) {
    case 'int':
      return Number(value.value);
    case 'float':
      return value.value;
    case 'duration':
      return Number(value.nanos);
    default:
      return undefined;
  }
}

function fieldNumber(value: FieldValue | undefined): number | undefined {
  if (!value || value.text === null) return undefined;
  if (value.type === 'int' || value.type === 'double' || value.type === 'duration') {
    const n = Number(value.text);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

function arithmetic(operator: string, a: number, b: number): number | undefined {
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return b === 0 ? undefined : a / b;
    case '%':
      return b === 0 ? undefined : a % b;
    case '^':
      return a ** b;
    default:
      return undefined;
  }
}

function compareNumbers(operator: ComparisonOperator, a: number | undefined, b: number | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  switch (operator) {
    case '=':
      return a === b;
    case '!=':
      return a !== b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    default:
      return false;
  }
}
