/**
 * A query string as Fastify parses it: a parameter given twice (`?q=a&q=b`) becomes an array.
 * Routes declare this as their `Querystring`, so none can read a parameter as a string without
 * passing it through {@link singleParam} or saying that it may repeat.
 */
export type RawQueryString = Readonly<Record<string, string | string[] | undefined>>;

/**
 * A query-string parameter the client got wrong. Each API words it in its own error shape, from
 * `param` and `detail` (Tempo: `invalid q: …`; Jaeger: `unable to parse param 'q': …`).
 */
export class QueryParameterError extends Error {
  override readonly name: string = 'QueryParameterError';

  constructor(
    readonly param: string,
    readonly detail: string,
  ) {
    super(`${param}: ${detail}`);
  }
}

/**
 * A parameter given more than once where it takes one value. Tempo and Jaeger (Go's
 * `url.Values.Get`) would silently read the first; refusing it shows the client its mistake
 * (`limit=5&limit=6`) instead of answering for a value it may not have meant.
 */
export class RepeatedParameterError extends QueryParameterError {
  override readonly name: string = 'RepeatedParameterError';

  constructor(
    param: string,
    readonly count: number,
  ) {
    super(param, `given ${count} times; give it once`);
  }
}

/**
 * A parameter whose value is not valid percent-encoding (`q=%E0%A4%A`: a `%` without two hex
 * digits, or escapes that do not spell UTF-8). Fastify keeps such a value as it was sent, `%`s
 * and all, so a route would otherwise read the raw text (a TraceQL parse error about `%`). Go's
 * `url.ParseQuery` refuses it too (Tempo then drops the parameter).
 */
export class BadlyEncodedParameterError extends QueryParameterError {
  override readonly name: string = 'BadlyEncodedParameterError';
}

/**
 * Per parsed query string, its parameters whose value was badly encoded, with the problem:
 * noted by {@link noteBadPercentEncoding} from the raw URL, which the parsed object no longer
 * tells, and read when a route reads the parameter, so each API answers in its own shape.
 */
const badlyEncoded = new WeakMap<RawQueryString, Map<string, string>>();

/**
 * Notes the parameters of `rawQuery` (the URL after `?`) that are not valid percent-encoding, for
 * `query`, the object Fastify parsed from it. Reading one of them (singleParam, checkEncoding)
 * then throws BadlyEncodedParameterError.
 */
export function noteBadPercentEncoding(query: RawQueryString, rawQuery: string): void {
  if (!rawQuery.includes('%')) return;
  let problems: Map<string, string> | undefined;
  for (const pair of rawQuery.split('&')) {
    const equals = pair.indexOf('=');
    const rawKey = equals < 0 ? pair : pair.slice(0, equals);
    const rawValue = equals < 0 ? '' : pair.slice(equals + 1);
    const keyProblem = percentEncodingProblem(rawKey);
    const problem = keyProblem ?? percentEncodingProblem(rawValue);
    if (problem === undefined) continue;
    // Fastify's name for the parameter: decoded, or as sent when the name itself is bad.
    const key = keyProblem === undefined ? decodeComponent(rawKey) : rawKey;
    problems ??= new Map();
    if (!problems.has(key)) problems.set(key, problem);
  }
  if (problems) badlyEncoded.set(query, problems);
}

/** Throws BadlyEncodedParameterError when `name` was sent badly encoded (see noteBadPercentEncoding). */
export function checkEncoding(query: RawQueryString, name: string): void {
  const problem = badlyEncoded.get(query)?.get(name);
  if (problem !== undefined) throw new BadlyEncodedParameterError(name, problem);
}

function decodeComponent(text: string): string {
  return decodeURIComponent(text.replaceAll('+', ' '));
}

const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * Why `text` (a key or value as sent) does not percent-decode, naming the first bad escape by its
 * 1-based character position in `text`; undefined when it decodes.
 */
export function percentEncodingProblem(text: string): string | undefined {
  for (let i = text.indexOf('%'); i >= 0; i = text.indexOf('%', i)) {
    if (!HEX_PAIR.test(text.slice(i + 1, i + 3))) {
      return `not valid percent-encoding: ${JSON.stringify(text.slice(i, i + 3))} at character ${i + 1} is not % and two hex digits`;
    }
    // One UTF-8 sequence: its lead byte says how many escapes it takes (a bad lead byte, one).
    const lead = parseInt(text.slice(i + 1, i + 3), 16);
    const bytes = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    let end = i + 3;
    while (end < i + 3 * bytes && text[end] === '%' && HEX_PAIR.test(text.slice(end + 1, end + 3))) end += 3;
    try {
      decodeURIComponent(text.slice(i, end));
    } catch {
      return `not valid percent-encoding: ${JSON.stringify(text.slice(i, end))} at character ${i + 1} is not UTF-8`;
    }
    i = end;
  }
  return undefined;
}

/**
 * The value of a one-value parameter; undefined when absent, RepeatedParameterError when repeated,
 * BadlyEncodedParameterError when not valid percent-encoding.
 */
export function singleParam(query: RawQueryString, name: string): string | undefined {
  checkEncoding(query, name);
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
