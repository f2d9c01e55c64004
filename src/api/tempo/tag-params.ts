import type { SqlCondition } from '../../query/span-query.js';
import { INTRINSIC_TAGS } from '../../query/intrinsic-tags.js';
import type { TagValueScope } from '../../query/tag-values.js';
import { ParseError } from '../../traceql/parse-error.js';
import { parseTraceQL } from '../../traceql/parser.js';
import { spanConditionForQuery } from '../../traceql/sql/span-condition.js';
import { BadSearchParameter } from './search-errors.js';

/**
 * Grafana URL-encodes the tag name in the path twice (`resource.service%252Ename`): decode until
 * the text stops changing, as Tempo does.
 */
export function decodeTagName(raw: string): string {
  let current = raw;
  for (let i = 0; i < 5; i++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      throw new BadSearchParameter(`invalid tag name "${raw}": bad percent-encoding`);
    }
    if (next === current) break;
    current = next;
  }
  if (current === '') throw new BadSearchParameter('invalid tag name: empty');
  return current;
}

const SCOPE_PREFIXES = ['resource', 'span', 'event', 'link', 'instrumentation'] as const;

/**
 * A v2 tag name — `resource.service.name`, `span.http.method`, `.foo`, `name`, `span:status` — as
 * the scope and key the query layer reads. Intrinsics win over an unscoped attribute of the same
 * name, as in TraceQL.
 */
export function scopedTag(tag: string): { scope: TagValueScope; key: string } {
  if (INTRINSIC_TAGS.includes(tag)) return { scope: 'intrinsic', key: tag };
  if (tag.startsWith('.')) return { scope: 'none', key: tag.slice(1) };
  for (const scope of SCOPE_PREFIXES) {
    if (tag.startsWith(`${scope}.`) && tag.length > scope.length + 1)
      return { scope, key: tag.slice(scope.length + 1) };
  }
  return { scope: 'none', key: tag };
}

/**
 * The span condition of the editor's query (`q`), to narrow what autocompletion offers. The query
 * is usually half-typed: one that does not parse narrows nothing rather than failing the request,
 * as Tempo treats it.
 */
export function autocompleteFilter(q: string | undefined): SqlCondition | undefined {
  if (q === undefined || q.trim() === '') return undefined;
  try {
    return spanConditionForQuery(parseTraceQL(q));
  } catch (error) {
    if (error instanceof ParseError) return undefined;
    throw error;
  }
}
