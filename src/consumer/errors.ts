/**
 * The two ways a downstream component refuses data, as in the OpenTelemetry Collector:
 * permanent (the data itself is bad: retrying cannot help) and retryable (downstream is busy or
 * down: the sender should back off and try again). Receivers map them once to a protocol status.
 */
export class PermanentError extends Error {
  override readonly name = 'PermanentError';
  /** The data is refused for its size alone (413 / RESOURCE_EXHAUSTED): smaller batches would go in. */
  readonly tooLarge: boolean;

  constructor(message: string, options: { tooLarge?: boolean } = {}) {
    super(message);
    this.tooLarge = options.tooLarge ?? false;
  }
}

export class RetryableError extends Error {
  override readonly name = 'RetryableError';
  /** How long the sender should wait before retrying, in milliseconds. */
  readonly retryAfterMs: number;
  /**
   * The refusal is throttling (senders send more than can be taken, as when the store's log is
   * full): receivers answer 429 / RESOURCE_EXHAUSTED with the delay, not 503 / UNAVAILABLE.
   */
  readonly throttle: boolean;

  constructor(message: string, retryAfterMs = 1000, options: { throttle?: boolean } = {}) {
    super(message);
    this.retryAfterMs = retryAfterMs;
    this.throttle = options.throttle ?? false;
  }
}
