import type { NanoRange } from '../../query/search/search-sql.js';
import type { SearchRequest } from '../../query/search/search-traces.js';
import type { Query } from '../../traceql/ast.js';
import { parseTraceQL } from '../../traceql/parser.js';
import { goDurationParam } from '../go-duration.js';
import type { RawQueryString } from '../query-string.js';
import { singleParams } from '../query-string.js';
import { BadSearchParameter } from './search-errors.js';
import { tagsToTraceQL } from './tags-to-traceql.js';
import { unixSecondsRange } from './unix-seconds-params.js';

/** The parameters `/api/search` reads, each taking one value. */
const SEARCH_PARAMS = ['q', 'tags', 'minDuration', 'maxDuration', 'limit', 'spss', 'start', 'end'] as const;

const DEFAULT_LIMIT = 20;
const DEFAULT_SPSS = 3;
/** The largest `limit` unless `--max-search-limit` says otherwise (Tempo's `max_result_limit`). */
export const DEFAULT_MAX_SEARCH_LIMIT = 10_000;

export interface SearchLimits {
  /** Per-query time budget. */
  timeoutMs: number;
  /** Largest `limit` a request may ask for; default {@link DEFAULT_MAX_SEARCH_LIMIT}. */
  maxLimit?: number;
}

/**
 * Tempo's `/api/search` parameters as a search request: `q` (TraceQL) or the older `tags`
 * (logfmt), `minDuration`/`maxDuration` (Go durations, on the trace's duration), `limit`
 * (default 20, at most `maxLimit`), `spss` (spans per spanset, default 3, 0 = all), `start`/`end` (Unix seconds).
 * Each is given at most once.
 */
export function searchRequestFromParams(
  queryString: RawQueryString,
  { timeoutMs, maxLimit = DEFAULT_MAX_SEARCH_LIMIT }: SearchLimits,
  nowMs = Date.now(),
): SearchRequest {
  const params = singleParams(queryString, SEARCH_PARAMS);
  const limit = nonNegativeInteger(params.limit, 'limit', DEFAULT_LIMIT);
  if (limit === 0) throw new BadSearchParameter('invalid limit: must be at least 1');
  // 400 rather than silently cut, as Tempo answers a limit over max_result_limit since
  // grafana/tempo#3340: a client that asked for 50,000 traces must not take 10,000 for all of them.
  if (limit > maxLimit)
    throw new BadSearchParameter(
      `invalid limit: ${limit} exceeds the maximum of ${maxLimit} (--max-search-limit)`,
    );
  const spansPerSpanset = nonNegativeInteger(params.spss, 'spss', DEFAULT_SPSS);
  let query: Query;
  if (params.q !== undefined && params.q.trim() !== '') {
    if (params.tags !== undefined && params.tags.trim() !== '') {
      throw new BadSearchParameter('invalid search: q and tags cannot both be given');
    }
    query = parseTraceQL(params.q);
  } else {
    query = tagsToTraceQL(params.tags ?? '');
  }
  const minNanos = durationNanos(params.minDuration, 'minDuration');
  const maxNanos = durationNanos(params.maxDuration, 'maxDuration');
  if (minNanos !== undefined && maxNanos !== undefined && maxNanos < minNanos) {
    throw new BadSearchParameter('invalid maxDuration: must be greater than minDuration');
  }
  return {
    query: withTraceDuration(query, minNanos, maxNanos),
    range: timeRange(params.start, params.end, nowMs),
    limit,
    spansPerSpanset,
    timeoutMs,
  };
}

function nonNegativeInteger(text: string | undefined, name: string, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  if (!/^\d+$/.test(text))
    throw new BadSearchParameter(`invalid ${name}: "${text}" is not a non-negative integer`);
  return Number(text);
}

function durationNanos(text: string | undefined, name: string): bigint | undefined {
  if (text === undefined || text === '') return undefined;
  return goDurationParam(text, (detail) => new BadSearchParameter(`invalid ${name}: ${detail}`));
}

/**
 * `start`/`end` (Unix seconds; without them Tempo searches only what its ingesters hold, the last
 * hour is our equivalent) as nanoseconds, the end second included whole.
 */
function timeRange(start: string | undefined, end: string | undefined, nowMs: number): NanoRange {
  const range = unixSecondsRange(start, end, nowMs);
  return {
    startNanos: BigInt(range.start) * 1_000_000_000n,
    endNanos: BigInt(range.end) * 1_000_000_000n + 999_999_999n,
  };
}

/**
 * min/maxDuration bound the trace's duration (Tempo's meaning): a `| { traceDuration … }` stage
 * after the query, so the limit counts only traces that pass.
 */
function withTraceDuration(query: Query, min: bigint | undefined, max: bigint | undefined): Query {
  if (min === undefined && max === undefined) return query;
  const position = { line: 1, column: 1, offset: 0 };
  const bound = (operator: '>=' | '<=', nanos: bigint) =>
    ({
      kind: 'binary',
      operator,
      left: { kind: 'intrinsic', name: 'traceDuration', position },
      right: { kind: 'static', value: { type: 'duration', nanos, text: `${nanos}ns` }, position },
      position,
    }) as const;
  const conditions = [
    min !== undefined ? bound('>=', min) : undefined,
    max !== undefined ? bound('<=', max) : undefined,
  ].filter((c) => c !== undefined);
  const condition =
    conditions.length === 2
      ? ({ kind: 'binary', operator: '&&', left: conditions[0], right: conditions[1], position } as const)
      : conditions[0];
  return {
    kind: 'pipeline',
    source: query,
    stages: [{ kind: 'spansetFilter', filter: { kind: 'filter', condition, position }, position }],
    position,
  };
}
