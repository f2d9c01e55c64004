import type { FieldExpression, Query, StaticValue } from '../../traceql/ast.js';
import { tagValueMatch } from '../tag-value-match.js';
import { BadSearchParameter } from './search-errors.js';

const POSITION = { line: 1, column: 1, offset: 0 } as const;

/**
 * Tempo's older search form, `tags=service.name="cart" http.status_code=500 error=true` (logfmt),
 * as the equivalent TraceQL query — one spanset filter with every pair ANDed — built as a tree so
 * no value is ever re-parsed. The keys Tempo gave meaning to map onto intrinsics.
 */
export function tagsToTraceQL(tags: string): Query {
  const pairs = parseLogfmt(tags);
  const conditions = pairs.map(([key, value]) => tagCondition(key, value));
  const condition = conditions.reduce<FieldExpression | undefined>(
    (all, next) =>
      all === undefined
        ? next
        : { kind: 'binary', operator: '&&', left: all, right: next, position: POSITION },
    undefined,
  );
  return { kind: 'filter', condition, position: POSITION };
}

function tagCondition(key: string, value: string): FieldExpression {
  const equals = (left: FieldExpression, right: StaticValue): FieldExpression => ({
    kind: 'binary',
    operator: '=',
    left,
    right: { kind: 'static', value: right, position: POSITION },
    position: POSITION,
  });
  const intrinsic = (name: 'name' | 'status' | 'rootName' | 'rootServiceName'): FieldExpression => ({
    kind: 'intrinsic',
    name,
    position: POSITION,
  });
  switch (key) {
    case 'name':
      return equals(intrinsic('name'), { type: 'string', value });
    case 'root.name':
      return equals(intrinsic('rootName'), { type: 'string', value });
    case 'root.service.name':
      return equals(intrinsic('rootServiceName'), { type: 'string', value });
    case 'service.name':
      return equals(
        { kind: 'attribute', scope: 'resource', name: key, parent: false, position: POSITION },
        { type: 'string', value },
      );
    case 'error':
      if (value !== 'true')
        throw new BadSearchParameter(`invalid tags: error=${value} (only error=true is meaningful)`);
      return equals(intrinsic('status'), { type: 'status', value: 'error' });
    case 'status.code': {
      const status = (
        { '0': 'unset', '1': 'ok', '2': 'error', unset: 'unset', ok: 'ok', error: 'error' } as const
      )[value];
      if (status === undefined)
        throw new BadSearchParameter(`invalid tags: status.code=${value} (expected ok, error or unset)`);
      return equals(intrinsic('status'), { type: 'status', value: status });
    }
    default:
      // Tempo matches a generic key's text against string values only, but http.status_code=500
      // against its integer column (vparquet4 block_search.go). Matching the text's typed values, as
      // Jaeger's tag search does, finds all of those, and an int, float or bool of any other key.
      return tagValueMatch(
        { kind: 'attribute', scope: 'none', name: key, parent: false, position: POSITION },
        value,
      );
  }
}

/** `k=v k2="quoted \" value"` → pairs; a bare key without `=` is refused, as Tempo refuses it. */
export function parseLogfmt(text: string): [string, string][] {
  const pairs: [string, string][] = [];
  let i = 0;
  const skipSpaces = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const readValue = (): string => {
    if (text[i] !== '"') {
      const start = i;
      while (i < text.length && !/\s/.test(text[i])) i++;
      return text.slice(start, i);
    }
    let out = '';
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\' && i + 1 < text.length) i++;
      out += text[i++];
    }
    if (text[i] !== '"') throw new BadSearchParameter(`invalid tags: unterminated quoted value in "${text}"`);
    i++;
    return out;
  };
  skipSpaces();
  while (i < text.length) {
    const start = i;
    while (i < text.length && text[i] !== '=' && !/\s/.test(text[i])) i++;
    const key = text.slice(start, i);
    if (text[i] !== '=' || key === '')
      throw new BadSearchParameter(`invalid tags: expected key=value at "${text.slice(start)}"`);
    i++;
    pairs.push([key, readValue()]);
    skipSpaces();
  }
  return pairs;
}
