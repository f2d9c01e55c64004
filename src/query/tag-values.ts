import type { TraceStore } from '../store/trace-store.js';
import type { AttributeScope } from './attribute-scopes.js';
import { hasKeySql, isAttributeScope, valuesSql } from './attribute-scopes.js';
import { intrinsicValues } from './intrinsic-tags.js';
import { InvalidQueryError } from './invalid-query-error.js';
import { DEFAULT_SCAN_ROWS, prewhereClause, scanSample } from './scan-sample.js';
import type { SqlCondition, TimeRange } from './span-query.js';
import { allOf, rangeCondition, tracesTable, withParams } from './span-query.js';

/** Tempo's `tempopb.TagValue.type` vocabulary. */
export type TagValueType = 'string' | 'int' | 'float' | 'bool' | 'duration' | 'keyword';

export interface TagValue {
  type: TagValueType;
  value: string;
}

/** `none` is TraceQL's unscoped `.key`: a span attribute or a resource attribute. */
export type TagValueScope = AttributeScope | 'intrinsic' | 'none';

export interface TagValuesRequest {
  scope: TagValueScope;
  /** The attribute key, or for `intrinsic` the intrinsic's name (`status`, `span:name`, …). */
  key: string;
  range: TimeRange;
  /** Most values returned; default 1000. */
  limit?: number;
  /** Only spans matching this condition (from the TraceQL compiler, for Tempo's `q`). */
  filter?: SqlCondition;
  /** Bound on the rows read; default {@link DEFAULT_SCAN_ROWS}. See scan-sample.ts. */
  maxScanRows?: number;
}

export interface TagValues {
  /** Most frequent first; ties by value. */
  values: TagValue[];
  /** 1 when every span of the range was read; k when one granule in k was. */
  sampledEvery: number;
}

/** OTLP type names of the `…AttributeTypes` maps → Tempo's; bytes, arrays, kvlists and empty read as strings. */
const TEMPO_TYPES: Readonly<Record<string, TagValueType>> = {
  string: 'string',
  int: 'int',
  double: 'float',
  bool: 'bool',
  keyword: 'keyword',
};

/** SQL for where a key's values are: `items` an Array((value, type)) per row, `has` the rows with any. */
interface ValueSource {
  items: string;
  has: string;
}

/**
 * The most frequent values of one key in the range, with their types — Tempo's
 * `/api/v2/search/tag/<name>/values`. Attribute values come with the type the span was sent with
 * (a key absent from the type map is a string); a value stored under two types is two entries.
 * Intrinsics: `status` and `kind` are keywords, listed whole (intrinsic-tags.ts), names and
 * messages are strings, durations and ids have no values. `resource.service.name` is read from
 * the `ServiceName` column, the sort key's first, not from the attribute map.
 */
export async function tagValues(
  store: TraceStore,
  tenant: string,
  request: TagValuesRequest,
): Promise<TagValues> {
  const limit = request.limit ?? 1000;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new InvalidQueryError('limit', `expected a whole number ≥ 1, got ${limit}`);
  const intrinsic = request.scope === 'intrinsic' ? intrinsicValues(request.key) : undefined;
  if (request.scope === 'intrinsic' && intrinsic === undefined)
    throw new InvalidQueryError('key', `"${request.key}" is not a TraceQL intrinsic`);
  if (intrinsic?.from === 'none') return { values: [], sampledEvery: 1 };

  const source = valueSource(request.scope, request.key);
  const table = await tracesTable(store, tenant);
  const range = rangeCondition(request.range);
  const sample = await scanSample(store.driver, table, range, request.maxScanRows ?? DEFAULT_SCAN_ROWS);
  const where = allOf(range, { sql: source.has, params: { tagKey: request.key } }, request.filter);
  const rows = await store.driver.query<{ value: string; type: string }>(
    `SELECT item.1 AS value, item.2 AS type, count() AS n FROM (
       SELECT arrayJoin(${source.items}) AS item FROM ${table}${prewhereClause(sample)} WHERE ${where.sql}
     ) GROUP BY value, type ORDER BY n DESC, value, type LIMIT {valueLimit:UInt32}`,
    withParams(where, { ...sample.prewhere?.params, valueLimit: limit }).params,
  );
  const values = rows.map((row): TagValue => ({ type: TEMPO_TYPES[row.type] ?? 'string', value: row.value }));
  if (intrinsic?.from === 'keywords') {
    const seen = new Set(values.map((v) => v.value));
    for (const keyword of intrinsic.all)
      if (values.length < limit && !seen.has(keyword)) values.push({ type: 'keyword', value: keyword });
  }
  return { values, sampledEvery: sample.every };
}

function valueSource(scope: TagValueScope, key: string): ValueSource {
  if (scope === 'intrinsic') {
    const intrinsic = intrinsicValues(key);
    switch (intrinsic?.from) {
      case 'column':
        return { items: `[(${intrinsic.sql}, 'string')]`, has: intrinsic.where };
      case 'keywords':
        return { items: `[(${intrinsic.sql}, 'keyword')]`, has: '1' };
      case 'array':
        return { items: `arrayMap(v -> (v, 'string'), ${intrinsic.sql})`, has: `notEmpty(${intrinsic.sql})` };
      default:
        throw new InvalidQueryError('key', `intrinsic "${key}" has no values`);
    }
  }
  if (scope === 'none') {
    // Span first, as Tempo resolves an unscoped attribute; both count when a span has both.
    const span = valueSource('span', key);
    const resource = valueSource('resource', key);
    return {
      items: `arrayConcat(${span.items}, ${resource.items})`,
      has: `(${span.has}) OR (${resource.has})`,
    };
  }
  if (!isAttributeScope(scope)) throw new InvalidQueryError('scope', `unknown scope "${String(scope)}"`);
  if (scope === 'resource' && key === 'service.name')
    return { items: "[(ServiceName, 'string')]", has: "ServiceName != ''" };
  return { items: valuesSql(scope, 'tagKey'), has: hasKeySql(scope, 'tagKey') };
}
