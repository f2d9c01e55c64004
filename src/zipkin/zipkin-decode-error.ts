/**
 * A Zipkin request body that cannot be decoded. The message names the place in the body, e.g.
 * `span[3].traceId: expected 16 or 32 hex characters, got "xyz"`, so that a receiver can answer
 * 400 with it as is. Like the OpenTelemetry Collector's zipkin receiver, one bad span rejects the
 * whole body: Zipkin has no partial-success response.
 */
export class ZipkinDecodeError extends Error {
  override readonly name = 'ZipkinDecodeError';
  /** Where in the body the problem is, e.g. `span[3].traceId`. */
  readonly path: string;

  constructor(path: string, problem: string) {
    super(`${path}: ${problem}`);
    this.path = path;
  }
}

/** Renders a JSON value for an error message: strings quoted (and shortened), other kinds by name. */
export function describeJsonValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value);
    case 'number':
    case 'boolean':
      return String(value);
    default:
      return 'an object';
  }
}

const MAX_QUOTED = 80;
