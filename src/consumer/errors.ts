/**
 * The two ways a downstream component refuses data, as in the OpenTelemetry Collector:
 * permanent (the data itself is bad: retrying cannot help) and retryable (downstream is busy or
 * down: the sender should back off and try again). Receivers map them once to a protocol status.
 */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
}

export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  /** How long the sender should wait before retrying, in milliseconds. */
  readonly retryAfterMs: number;

  constructor(message: string, retryAfterMs = 1000) {
    super(message);
    this.retryAfterMs = retryAfterMs;
  }
}
