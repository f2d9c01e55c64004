/**
 * A read the query layer refuses before it reaches ClickHouse: a time range that is not one, a
 * step that would make too many buckets, a filter whose parameter names clash with ours. The API
 * maps it to 400 (Tempo and Jaeger answer a bad `start`/`end` with 400 too); `field` names the
 * request field at fault.
 */
export class InvalidQueryError extends Error {
  override readonly name = 'InvalidQueryError';

  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
