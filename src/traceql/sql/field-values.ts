import type { FieldExpression } from '../ast.js';
import type { ConditionCompiler } from './compile-condition.js';
import { attributeRef, intrinsicSql, isTraceLevel } from './operands.js';
import { unsupported } from './query-error.js';
import type { SqlParams } from './sql-params.js';

/**
 * A field read back per span, for what SQL leaves to the evaluator: aggregates, `by()`,
 * `select()` and the attributes a result shows. SQL yields a `(type, text)` pair — the OTLP type
 * name as stored ('string', 'int', 'double', 'bool', …), or an intrinsic's type ('duration',
 * 'status', 'kind'), or 'nil' when the span has no such field.
 */
export function fieldValueSql(
  field: FieldExpression,
  params: SqlParams,
  conditions: ConditionCompiler,
): string {
  switch (field.kind) {
    case 'attribute': {
      if (field.parent) throw unsupported('parent attributes', field.position);
      if (field.scope === 'event' || field.scope === 'link') {
        throw unsupported(`reading ${field.scope} attributes outside a condition`, field.position);
      }
      if (field.scope === 'none') {
        const span = attributeRef('span', field.name, params);
        const resource = attributeRef('resource', field.name, params);
        return `multiIf(${span.exists}, tuple(${span.type}, ${span.text}), ${resource.exists}, tuple(${resource.type}, ${resource.text}), tuple('nil', ''))`;
      }
      const ref = attributeRef(field.scope, field.name, params);
      return `if(${ref.exists}, tuple(${ref.type}, ${ref.text}), tuple('nil', ''))`;
    }
    case 'intrinsic': {
      if (isTraceLevel(field.name)) conditions.needs.traceInfo = true;
      const found = intrinsicSql(field.name, field.position);
      if (found.collection) throw unsupported(`reading '${field.name}' outside a condition`, field.position);
      switch (found.type) {
        case 'status':
          return `tuple('status', lower(replaceRegexpOne(${found.sql}, '^STATUS_CODE_', '')))`;
        case 'kind':
          return `tuple('kind', lower(replaceRegexpOne(${found.sql}, '^SPAN_KIND_', '')))`;
        default:
          return `tuple('${found.type}', toString(${found.sql}))`;
      }
    }
    default:
      return `tuple('double', toString(${conditions.numeric(field)}))`;
  }
}
