import { InvalidQueryError } from '../../query/invalid-query-error.js';
import { queryErrorResponse } from '../tempo/query-error-response.js';

/**
 * The native API answers errors as the Tempo routes do (400 for what the client can fix, 504 for
 * a timeout, plain text), plus the query layer's own refusals (a step making too many points).
 */
export function nativeErrorResponse(error: unknown): { status: number; message: string } | undefined {
  if (error instanceof InvalidQueryError) return { status: 400, message: `invalid ${error.message}` };
  return queryErrorResponse(error);
}
