import type { TraceStore } from '../store/trace-store.js';
import type { AttributeScope } from './attribute-scopes.js';
import { ATTRIBUTE_SCOPES, keysSql } from './attribute-scopes.js';
import { INTRINSIC_TAGS } from './intrinsic-tags.js';
import { InvalidQueryError } from './invalid-query-error.js';
import { DEFAULT_SCAN_ROWS, prewhereClause, scanSample } from './scan-sample.js';
import type { SqlCondition, TimeRange } from './span-query.js';
import { allOf, rangeCondition, tracesTable, withParams } from './span-query.js';

/** The scopes of Tempo's `/api/v2/search/tags`: the attribute scopes and `intrinsic`. */
export type TagScope = AttributeScope | 'intrinsic';
export const TAG_SCOPES: readonly TagScope[] = [...ATTRIBUTE_SCOPES, 'intrinsic'];

export interface AttributeKeysRequest {
  range: TimeRange;
  /** Which scopes to list, in this order; default all of {@link TAG_SCOPES}. */
  scopes?: readonly TagScope[];
  /** Most keys per scope (the alphabetically first); default 1000. */
  limit?: number;
  /** Only spans matching this condition (a TraceQL query's, for Tempo's `q`). */
  filter?: SqlCondition;
  /** Bound on the rows read per scope; default {@link DEFAULT_SCAN_ROWS}. See scan-sample.ts. */
  maxScanRows?: number;
}

export interface ScopeKeys {
  scope: TagScope;
  /** Sorted by their bytes (ClickHouse's string order). */
  keys: string[];
}

export interface AttributeKeys {
  scopes: ScopeKeys[];
  /** 1 when every span of the range was read; k when one granule in k was (scan-sample.ts). */
  sampledEvery: number;
}

/**
 * Attribute keys seen in the range, per scope, for autocompletion (Tempo's `/api/v2/search/tags`
 * `scopes` answer). The `intrinsic` scope is the fixed list of intrinsic-tags.ts. All attribute
 * scopes are read in one statement, one DISTINCT over each scope's keys subcolumn, on the same
 * bounded sample of granules.
 */
export async function attributeKeys(
  store: TraceStore,
  tenant: string,
  request: AttributeKeysRequest,
): Promise<AttributeKeys> {
  const scopes = request.scopes ?? TAG_SCOPES;
  const limit = request.limit ?? 1000;
  if (!Number.isSafeInteger(limit) || limit < 1)
    throw new InvalidQueryError('limit', `expected a whole number ≥ 1, got ${limit}`);
  const table = await tracesTable(store, tenant);
  const range = rangeCondition(request.range);
  const attributeScopes = scopes.filter((s): s is AttributeScope => s !== 'intrinsic');
  const found = new Map<TagScope, string[]>();
  let every = 1;
  if (attributeScopes.length > 0) {
    const sample = await scanSample(store.driver, table, range, request.maxScanRows ?? DEFAULT_SCAN_ROWS);
    every = sample.every;
    const where = allOf(range, request.filter);
    // One DISTINCT per scope, told apart by its position (a number we write, not user text).
    const selects = attributeScopes.map(
      (scope, n) =>
        `SELECT ${n} AS scope, key FROM (SELECT DISTINCT arrayJoin(${keysSql(scope)}) AS key ` +
        `FROM ${table}${prewhereClause(sample)} WHERE ${where.sql} ORDER BY key LIMIT {keyLimit:UInt32})`,
    );
    const rows = await store.driver.query<{ scope: number; key: string }>(
      selects.join('\nUNION ALL\n'),
      withParams(where, { ...sample.prewhere?.params, keyLimit: limit }).params,
    );
    for (const scope of attributeScopes) found.set(scope, []);
    for (const row of rows) found.get(attributeScopes[row.scope])!.push(row.key);
  }
  return {
    scopes: scopes.map((scope) => ({
      scope,
      keys: scope === 'intrinsic' ? INTRINSIC_TAGS.slice(0, limit) : sortByBytes(found.get(scope) ?? []),
    })),
    sampledEvery: every,
  };
}

/** UNION ALL parts arrive in any order; sort as ClickHouse did, by UTF-8 bytes. */
function sortByBytes(keys: string[]): string[] {
  return keys.sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}
