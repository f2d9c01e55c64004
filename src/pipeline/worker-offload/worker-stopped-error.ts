import { RetryableError } from '../../consumer/errors.js';

/**
 * A processor worker stopped before answering a request (processor-worker-pool.ts). Nothing of the
 * request went on, so it may be processed again (worker-segment.ts does, once); to a sender it is
 * retryable, like any RetryableError.
 */
export class WorkerStoppedError extends RetryableError {}
