/**
 * Calls `call` and returns its promise; a synchronous throw becomes a rejection, as it would in
 * an async function. For hand-offs that must not be async functions themselves: an async function
 * keeps its arguments reachable while it waits, and a batch held so through a store's fsync is
 * promoted to the old generation (bench/RESULTS.md, issue 3).
 */
export function callAsPromise<T>(call: () => Promise<T>): Promise<T> {
  try {
    return call();
  } catch (error) {
    // Passed on as thrown, as an async function would: a consumer's errors need not be Errors.
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    return Promise.reject(error);
  }
}
