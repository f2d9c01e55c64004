import { InvalidQueryError } from '../../query/invalid-query-error.js';
import { QueryParameterError } from '../query-string.js';
import { queryErrorResponse } from '../tempo/query-error-response.js';

/**
 * A request Jaeger would refuse with 400: a missing or contradictory parameter. The message is the
 * whole text the client sees.
 */
export class JaegerRequestError extends Error {
  override readonly name: string = 'JaegerRequestError';
}

/**
 * One parameter that does not parse. The two API generations word it differently — the v1 handler
 * says `unable to parse param 'start': …` (query_parser.go newParseError), the v3 gateway
 * `malformed parameter query.start_time_min: …` (apiv3 tryParamError) — so the parameter and the
 * detail are kept apart and each edge writes the sentence.
 */
export class JaegerParamError extends JaegerRequestError {
  override readonly name: string = 'JaegerParamError';

  constructor(
    readonly param: string,
    readonly detail: string,
  ) {
    super(`unable to parse param '${param}': ${detail}`);
  }
}

/** The status and text for an error a request caused; undefined for our own faults (500). */
export function jaegerErrorResponse(
  thrown: unknown,
  style: 'v1' | 'v3',
): { status: number; message: string } | undefined {
  // A repeated or badly encoded parameter is worded as a parse error of that parameter, in each
  // API's sentence.
  const error =
    thrown instanceof QueryParameterError ? new JaegerParamError(thrown.param, thrown.detail) : thrown;
  if (error instanceof JaegerParamError && style === 'v3') {
    return { status: 400, message: `malformed parameter ${error.param}: ${error.detail}` };
  }
  if (error instanceof JaegerRequestError || error instanceof InvalidQueryError) {
    return { status: 400, message: error.message };
  }
  // Bad tenant ids (400) and queries that ran out of time (504), answered as the Tempo API does.
  return queryErrorResponse(error);
}
