/**
 * A query string as Fastify parses it: a parameter given twice (`?q=a&q=b`) becomes an array.
 * Routes declare this as their `Querystring`, so none can read a parameter as a string without
 * passing it through {@link singleParam} or saying that it may repeat.
 */
export type RawQueryString = Readonly<Record<string, string | string[] | undefined>>;

/**
 * A parameter given more than once where it takes one value. Tempo and Jaeger (Go's
 * `url.Values.Get`) would silently read the first; refusing it shows the client its mistake
 * (`limit=5&limit=6`) instead of answering for a value it may not have meant. Each API words it
 * in its own error shape, from `param` and `detail`.
 */
export class RepeatedParameterError extends Error {
  override readonly name = 'RepeatedParameterError';
  readonly detail: string;

  constructor(
    readonly param: string,
    readonly count: number,
  ) {
    const detail = `given ${count} times; give it once`;
    super(`${param}: ${detail}`);
    this.detail = detail;
  }
}

/** The value of a one-value parameter; undefined when absent, RepeatedParameterError when repeated. */
export function singleParam(query: RawQueryString, name: string): string | undefined {
  const value = query[name];
  if (!Array.isArray(value)) return value;
  if (value.length > 1) throw new RepeatedParameterError(name, value.length);
  return value[0];
}

/** The named one-value parameters (see {@link singleParam}), the absent ones left out. */
export function singleParams<Name extends string>(
  query: RawQueryString,
  names: readonly Name[],
): Partial<Record<Name, string>> {
  const params: Partial<Record<Name, string>> = {};
  for (const name of names) {
    const value = singleParam(query, name);
    if (value !== undefined) params[name] = value;
  }
  return params;
}
