/**
 * Thrown for an OTLP/JSON body that cannot be decoded: a JSON value of the wrong type, a malformed
 * id, number or enum. The message starts with the JSON path of the offending field, e.g.
 * `resourceSpans[0].scopeSpans[1].spans[4].startTimeUnixNano: expected an integer, got "12x"`, so a
 * receiver can hand it back to the sender as it is.
 */
export class OtlpJsonDecodeError extends Error {
  override readonly name = 'OtlpJsonDecodeError';

  /**
   * @param path JSON path of the field, relative to the message being decoded; '' for that message itself.
   * @param reason What was wrong, without the path.
   */
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(path === '' ? reason : `${path}: ${reason}`);
  }

  /** The same error seen from the enclosing message, where it sits under `segment` (`spans[4]`, `status`). */
  under(segment: string): OtlpJsonDecodeError {
    return new OtlpJsonDecodeError(this.path === '' ? segment : `${segment}.${this.path}`, this.reason);
  }
}

/**
 * Re-throws `error` with `segment` prepended to its path. Decoders build paths this way, while the
 * error unwinds, so that the happy path never builds a path string.
 */
export function rethrowUnder(error: unknown, segment: string): never {
  if (error instanceof OtlpJsonDecodeError) throw error.under(segment);
  throw error;
}

const MAX_QUOTED_LENGTH = 64;

/** A short description of a JSON value for an error message: strings quoted (and cut), containers by kind. */
export function describeJson(value: unknown): string {
  if (typeof value === 'string') {
    const cut = value.length > MAX_QUOTED_LENGTH ? `${value.slice(0, MAX_QUOTED_LENGTH)}…` : value;
    return JSON.stringify(cut);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'an object' : typeof value; // the last only for non-JSON input
}
