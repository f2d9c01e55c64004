import type { QueryParams } from '../../store/driver/clickhouse-driver.js';
import type { Query, SpansetExpression } from '../ast.js';
import { ConditionCompiler } from './compile-condition.js';
import { SqlParams } from './sql-params.js';

/**
 * The per-span SQL condition of a query that is one spanset filter (`{ resource.service.name =
 * "cart" && kind = server }`), for narrowing what autocompletion offers, as Tempo narrows tag
 * values by the `q` the editor holds. Undefined when the query is more than one filter or needs
 * trace-level facts: then, as in Tempo, the values are not narrowed.
 */
export function spanConditionForQuery(query: Query): { sql: string; params: QueryParams } | undefined {
  const filters: SpansetExpression[] = [];
  const collect = (expression: SpansetExpression): void => {
    if (expression.kind === 'filter') filters.push(expression);
    else if (expression.kind === 'spansetBinary') {
      collect(expression.left);
      collect(expression.right);
    } else collect(expression.source);
  };
  collect(query);
  const [filter] = filters;
  if (filters.length !== 1 || filter.kind !== 'filter' || filter.condition === undefined) return undefined;
  const params = new SqlParams('tql_');
  const compiler = new ConditionCompiler(params);
  const sql = compiler.condition(filter.condition);
  if (compiler.needs.traceInfo) return undefined;
  return { sql, params: params.all() };
}
