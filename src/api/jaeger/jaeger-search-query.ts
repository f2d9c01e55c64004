import type { SpanKindName } from '../../query/span-kinds.js';
import { SPAN_KIND_NAMES } from '../../query/span-kinds.js';
import type { FieldExpression, Intrinsic, Query, StaticValue } from '../../traceql/ast.js';
import { tagValueMatch } from '../tag-value-match.js';

/** What a Jaeger trace search asks of one span; every field narrows. */
export interface SpanCriteria {
  service?: string;
  operation?: string;
  /** Tag (attribute) equalities, values as Jaeger sends them: strings. */
  tags: readonly (readonly [string, string])[];
  minDurationNanos?: bigint;
  maxDurationNanos?: bigint;
}

const POSITION = { line: 1, column: 1, offset: 0 } as const;

const intrinsic = (name: Intrinsic): FieldExpression => ({ kind: 'intrinsic', name, position: POSITION });
const attribute = (scope: 'resource' | 'none', name: string): FieldExpression => ({
  kind: 'attribute',
  scope,
  name,
  parent: false,
  position: POSITION,
});
const compare = (
  operator: '=' | '>=' | '<=',
  left: FieldExpression,
  value: StaticValue,
): FieldExpression => ({
  kind: 'binary',
  operator,
  left,
  right: { kind: 'static', value, position: POSITION },
  position: POSITION,
});
const join = (operator: '&&' | '||', parts: FieldExpression[]): FieldExpression | undefined =>
  parts.reduce<FieldExpression | undefined>(
    (all, next) =>
      all === undefined ? next : { kind: 'binary', operator, left: all, right: next, position: POSITION },
    undefined,
  );

/**
 * A Jaeger search as a TraceQL tree, built directly so no user value is ever parsed: one spanset
 * filter with every criterion ANDed, because Jaeger matches service, operation, tags and duration
 * on one span (api_v3 TraceQueryParameters: "Fields are matched against individual spans").
 * `duration` is the span's own, not the trace's — Jaeger's meaning, unlike Tempo's `minDuration`.
 */
export function jaegerSearchQuery(criteria: SpanCriteria): Query {
  const conditions: FieldExpression[] = [];
  if (criteria.service !== undefined)
    conditions.push(
      compare('=', attribute('resource', 'service.name'), { type: 'string', value: criteria.service }),
    );
  if (criteria.operation !== undefined)
    conditions.push(compare('=', intrinsic('name'), { type: 'string', value: criteria.operation }));
  for (const [key, value] of criteria.tags) conditions.push(tagCondition(key, value));
  const duration = (operator: '>=' | '<=', nanos: bigint) =>
    compare(operator, intrinsic('duration'), { type: 'duration', nanos, text: `${nanos}ns` });
  if (criteria.minDurationNanos !== undefined) conditions.push(duration('>=', criteria.minDurationNanos));
  if (criteria.maxDurationNanos !== undefined) conditions.push(duration('<=', criteria.maxDurationNanos));
  return { kind: 'filter', condition: join('&&', conditions), position: POSITION };
}

/**
 * `key=value` as Jaeger matches it against a span's tags and its process's tags. Jaeger compares
 * the tag's text, so `http.status_code=500` finds the integer 500 ({@link tagValueMatch};
 * unscoped, so span or resource attributes). The tags Jaeger derives from OTLP fields (its OTLP
 * translator adds `span.kind`, `otel.status_code`, `error=true`, `otel.status_description`,
 * `otel.scope.*`) match those fields, since they are not stored as attributes.
 */
export function tagCondition(key: string, value: string): FieldExpression {
  const plain = tagValueMatch(attribute('none', key), value);
  const derived = derivedTag(key, value);
  return derived === undefined
    ? plain
    : { kind: 'binary', operator: '||', left: derived, right: plain, position: POSITION };
}

function derivedTag(key: string, value: string): FieldExpression | undefined {
  switch (key) {
    case 'error':
      return value === 'true'
        ? compare('=', intrinsic('status'), { type: 'status', value: 'error' })
        : undefined;
    case 'otel.status_code':
      if (value === 'ERROR') return compare('=', intrinsic('status'), { type: 'status', value: 'error' });
      if (value === 'OK') return compare('=', intrinsic('status'), { type: 'status', value: 'ok' });
      return undefined;
    case 'otel.status_description':
      return compare('=', intrinsic('statusMessage'), { type: 'string', value });
    case 'span.kind':
      // `unspecified` gets no tag from Jaeger's translator, so it is not a value to match.
      return value !== 'unspecified' && (SPAN_KIND_NAMES as readonly string[]).includes(value)
        ? compare('=', intrinsic('kind'), { type: 'kind', value: value as SpanKindName })
        : undefined;
    case 'otel.scope.name':
    case 'otel.library.name':
      return compare('=', intrinsic('instrumentation:name'), { type: 'string', value });
    case 'otel.scope.version':
    case 'otel.library.version':
      return compare('=', intrinsic('instrumentation:version'), { type: 'string', value });
    default:
      return undefined;
  }
}
