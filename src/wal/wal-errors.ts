/**
 * The log's expected failures, as typed errors. The store exporter maps them once to the
 * pipeline's vocabulary: `WalFullError` and a full disk are retryable back-pressure (429 /
 * RESOURCE_EXHAUSTED), so a sender slows down instead of the collector dropping data.
 */

/** `append` refused because the log holds `maxTotalBytes` already; it clears as flushes commit. */
export class WalFullError extends Error {
  override readonly name = 'WalFullError';

  constructor(
    readonly dir: string,
    readonly maxTotalBytes: number,
    readonly requestedBytes: number,
  ) {
    super(
      `write-ahead log in ${dir} is full: ${requestedBytes} more bytes would pass its cap of ` +
        `${maxTotalBytes} bytes; it frees space as flushed records are committed`,
    );
  }
}

/**
 * `append` refused a record longer than a segment: a segment holds whole records, so no amount of
 * waiting lets it in. The sender must send smaller batches (or the log be given larger segments).
 */
export class WalRecordTooLargeError extends Error {
  override readonly name = 'WalRecordTooLargeError';

  /** `recordBytes`: the record as the segment would hold it, its header included. */
  constructor(
    readonly recordBytes: number,
    readonly segmentMaxBytes: number,
  ) {
    super(
      `a record of ${recordBytes} bytes (its header included) does not fit in a segment of ${segmentMaxBytes}`,
    );
  }
}

/**
 * A write, fsync, or file operation of the log failed. `code` is the system error code
 * (ENOSPC, EIO, …) when there was one. `fatal` means the log stopped accepting appends (an fsync
 * failed, so what the kernel holds for the file can no longer be trusted): close and reopen it.
 */
export class WalWriteError extends Error {
  override readonly name = 'WalWriteError';
  readonly code: string | undefined;

  constructor(
    readonly dir: string,
    operation: string,
    cause: unknown,
    readonly fatal = false,
  ) {
    const code = errorCode(cause);
    const what = isDiskFullCode(code)
      ? `the disk is full (${code})`
      : cause instanceof Error
        ? cause.message
        : String(cause);
    super(`write-ahead log in ${dir}: ${operation} failed: ${what}${fatal ? '; the log is stopped' : ''}`, {
      cause,
    });
    this.code = code;
  }
}

/** The log was closed; nothing more can be appended or read through this instance. */
export class WalClosedError extends Error {
  override readonly name = 'WalClosedError';

  constructor(readonly dir: string) {
    super(`write-ahead log in ${dir} is closed`);
  }
}

/** Whether a system error code says the disk (or the user's quota on it) is full. */
export function isDiskFullCode(code: string | undefined): boolean {
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string') {
    return error.code;
  }
  return undefined;
}
