/**
 * A trace with more spans than a read may return (`--max-trace-spans`). Reading it whole would
 * hold every span in memory at once, so the read stops at the limit and says so instead.
 */
export class TraceTooLargeError extends Error {
  override readonly name = 'TraceTooLargeError';

  constructor(
    readonly traceId: string,
    readonly maxSpans: number,
  ) {
    super(
      `trace ${traceId} has more than ${maxSpans} spans, the most one request may return (--max-trace-spans)`,
    );
  }
}
