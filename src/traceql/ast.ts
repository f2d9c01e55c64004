/**
 * The TraceQL abstract syntax tree, as Grafana Tempo's language defines it
 * (https://grafana.com/docs/tempo/latest/traceql/). The parser builds it, the printer turns it
 * back into text that parses to the same tree, the compiler turns it into ClickHouse SQL.
 *
 * Every node carries the position of its first character, so later stages (validation,
 * compilation) can report errors at the place a person wrote the offending part.
 */

/** 1-based line and column, 0-based character offset into the query text. */
export interface Position {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
}

// ---------------------------------------------------------------------------------------------
// Values

export type StatusValue = 'ok' | 'error' | 'unset';
export type KindValue = 'unspecified' | 'internal' | 'server' | 'client' | 'producer' | 'consumer';

/** A literal. Integers are exact (bigint); durations are nanoseconds. */
export type StaticValue =
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'int'; readonly value: bigint }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  /** `300ms`, `1.5s`: exact nanoseconds; `unit` keeps what was written, for printing. */
  | { readonly type: 'duration'; readonly nanos: bigint; readonly text: string }
  | { readonly type: 'nil' }
  | { readonly type: 'status'; readonly value: StatusValue }
  | { readonly type: 'kind'; readonly value: KindValue };

// ---------------------------------------------------------------------------------------------
// Fields: what a condition inside `{ … }` talks about

export type Intrinsic =
  | 'name'
  | 'status'
  | 'statusMessage'
  | 'kind'
  | 'duration'
  | 'rootName'
  | 'rootServiceName'
  | 'traceDuration'
  /** `span:id` */
  | 'span:id'
  /** `trace:id` */
  | 'trace:id'
  /** `span:parentID` */
  | 'span:parentID'
  /** `event:name` */
  | 'event:name'
  /** `event:timeSinceStart` */
  | 'event:timeSinceStart'
  /** `link:traceID` */
  | 'link:traceID'
  /** `link:spanID` */
  | 'link:spanID'
  /** `instrumentation:name` */
  | 'instrumentation:name'
  /** `instrumentation:version` */
  | 'instrumentation:version'
  /** `nestedSetParent` etc. are not supported; `childCount` is Tempo's too. */
  | 'childCount';

/**
 * `none` is the unscoped `.attr` form, which matches a span attribute or a resource attribute
 * of that name (span first, as Tempo).
 */
export type AttributeScope = 'span' | 'resource' | 'event' | 'link' | 'instrumentation' | 'none';

export type ComparisonOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | '=~' | '!~';
export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%' | '^';
export type LogicalOperator = '&&' | '||';

export type FieldExpression =
  | { readonly kind: 'static'; readonly value: StaticValue; readonly position: Position }
  | { readonly kind: 'intrinsic'; readonly name: Intrinsic; readonly position: Position }
  | {
      readonly kind: 'attribute';
      readonly scope: AttributeScope;
      /** The attribute key as stored (`http.status_code`), quotes removed. */
      readonly name: string;
      /** `parent.span.foo`: the attribute of the span's parent. */
      readonly parent: boolean;
      readonly position: Position;
    }
  | {
      readonly kind: 'binary';
      readonly operator: ComparisonOperator | ArithmeticOperator | LogicalOperator;
      readonly left: FieldExpression;
      readonly right: FieldExpression;
      readonly position: Position;
    }
  | {
      readonly kind: 'unary';
      readonly operator: '!' | '-';
      readonly operand: FieldExpression;
      readonly position: Position;
    };

// ---------------------------------------------------------------------------------------------
// Spansets: what a query selects

/**
 * Structural operators between spansets, as Tempo: `>>` descendant, `>` child, `~` sibling,
 * `<<` ancestor, `<` parent; `!` before one negates it (spans of the right side that have no
 * such relation), `&` before one is the union form (spans of both sides that have it).
 */
export type StructuralOperator =
  '>>' | '>' | '~' | '<<' | '<' | '!>>' | '!>' | '!~' | '!<<' | '!<' | '&>>' | '&>' | '&~' | '&<<' | '&<';

export type SpansetOperator = LogicalOperator | StructuralOperator;

export type SpansetExpression =
  /** `{ condition }`; `{ }` (no condition) matches every span. */
  | {
      readonly kind: 'filter';
      readonly condition: FieldExpression | undefined;
      readonly position: Position;
    }
  | {
      readonly kind: 'spansetBinary';
      readonly operator: SpansetOperator;
      readonly left: SpansetExpression;
      readonly right: SpansetExpression;
      readonly position: Position;
    }
  /** A spanset expression followed by `| stage | stage …`, possibly parenthesised inside a larger one. */
  | {
      readonly kind: 'pipeline';
      readonly source: SpansetExpression;
      readonly stages: readonly PipelineStage[];
      readonly position: Position;
    };

export type AggregateFunction = 'count' | 'avg' | 'min' | 'max' | 'sum';

/** `count()` (no field), `avg(duration)`, `max(span.http.response_size)`. */
export interface Aggregate {
  readonly kind: 'aggregate';
  readonly function: AggregateFunction;
  readonly field: FieldExpression | undefined;
  readonly position: Position;
}

/** One side of a scalar filter: an aggregate, a literal, or arithmetic over them. */
export type ScalarExpression =
  | Aggregate
  | { readonly kind: 'static'; readonly value: StaticValue; readonly position: Position }
  | {
      readonly kind: 'scalarBinary';
      readonly operator: ArithmeticOperator;
      readonly left: ScalarExpression;
      readonly right: ScalarExpression;
      readonly position: Position;
    };

export type MetricsFunction =
  | 'rate'
  | 'count_over_time'
  | 'min_over_time'
  | 'max_over_time'
  | 'avg_over_time'
  | 'sum_over_time'
  | 'quantile_over_time'
  | 'histogram_over_time';

export type PipelineStage =
  /** `| count() > 2`, `| avg(duration) >= 1s` */
  | {
      readonly kind: 'scalarFilter';
      readonly operator: ComparisonOperator;
      readonly left: ScalarExpression;
      readonly right: ScalarExpression;
      readonly position: Position;
    }
  /** `| { condition }`: keep spans of the spanset that also match. */
  | { readonly kind: 'spansetFilter'; readonly filter: SpansetExpression; readonly position: Position }
  /** `| select(span.foo, resource.bar)`: add these fields to the returned spans. */
  | { readonly kind: 'select'; readonly fields: readonly FieldExpression[]; readonly position: Position }
  /** `| by(resource.service.name)`: split each trace's spanset into one per distinct value. */
  | { readonly kind: 'by'; readonly fields: readonly FieldExpression[]; readonly position: Position }
  /** `| coalesce()`: merge the spansets of a trace back into one. */
  | { readonly kind: 'coalesce'; readonly position: Position }
  /**
   * `| rate() by (resource.service.name)`, `| quantile_over_time(duration, .5, .9)`: the metrics
   * stage, always last. `field` is the measured field where the function takes one; `arguments`
   * the numbers after it (quantiles).
   */
  | {
      readonly kind: 'metrics';
      readonly function: MetricsFunction;
      readonly field: FieldExpression | undefined;
      readonly arguments: readonly number[];
      readonly by: readonly FieldExpression[];
      readonly position: Position;
    };

/** A whole query. */
export type Query = SpansetExpression;
