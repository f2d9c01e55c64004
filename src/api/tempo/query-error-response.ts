import { InvalidQueryError } from '../../query/invalid-query-error.js';
import { QueryBudgetSpentError } from '../../store/driver/read-deadline.js';
import { InvalidTenantError } from '../../store/schema/tenant-database.js';
import { TraceTooLargeError } from '../../store/trace-too-large-error.js';
import { ParseError } from '../../traceql/parse-error.js';
import { QueryParameterError } from '../query-string.js';
import { BadSearchParameter } from './search-errors.js';

/** ClickHouse error codes that a user's query, not the server, caused. */
const CANNOT_COMPILE_REGEXP = 427;
const TIMEOUT_EXCEEDED = 159;

/**
 * The status and text for an error a query request caused, as Tempo answers: 400 for what the
 * client can fix (bad TraceQL, bad parameters, a bad tenant id, a regular expression RE2 refuses),
 * 504 when the query ran out of its time budget, 422 for a trace larger than a read may return
 * (the request is well-formed, the answer would be too big). Undefined for anything else, which is
 * ours and becomes a 500.
 */
export function queryErrorResponse(error: unknown): { status: number; message: string } | undefined {
  if (error instanceof ParseError) return { status: 400, message: `invalid TraceQL query: ${error.message}` };
  if (error instanceof TraceTooLargeError) return { status: 422, message: error.message };
  if (error instanceof QueryParameterError)
    return { status: 400, message: `invalid ${error.param}: ${error.detail}` };
  if (
    error instanceof BadSearchParameter ||
    error instanceof InvalidTenantError ||
    error instanceof InvalidQueryError
  ) {
    return { status: 400, message: error.message };
  }
  const code = clickHouseErrorCode(error);
  if (code === CANNOT_COMPILE_REGEXP) {
    return {
      status: 400,
      message: `invalid TraceQL query: invalid regular expression (RE2): ${firstLine(error)}`,
    };
  }
  if (code === TIMEOUT_EXCEEDED || error instanceof QueryBudgetSpentError) {
    return { status: 504, message: 'query timed out: narrow the time range or the query' };
  }
  return undefined;
}

/** chdb puts `Code: N.` in the message; @clickhouse/client sets `code` as a string too. */
function clickHouseErrorCode(error: unknown): number | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string' && /^\d+$/.test(code)) return Number(code);
  const match = /\bCode: (\d+)\b/.exec(error.message);
  return match ? Number(match[1]) : undefined;
}

function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const detail = /DB::Exception: (.*?)(?: \(CANNOT_COMPILE_REGEXP\)|$)/m.exec(message)?.[1] ?? message;
  return detail.split('\n')[0];
}
