import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * When the reads an API request makes must end (epoch ms), carried with the request's async
 * work so that every driver read on its behalf can pass ClickHouse what is left of the budget as
 * `max_execution_time`. The API answers 504 when the budget runs out (query-deadline-hook.ts),
 * but that does not stop the query: ClickHouse would go on scanning, and the embedded engine runs
 * one statement of a session at a time, so every later read would wait behind it.
 *
 * The store's own work (flushes, replays, migrations) runs outside any request and is never
 * bounded; work a request merely starts on the store's behalf, such as migrating a tenant's
 * database on its first read, runs {@link withoutReadDeadline}.
 */
const deadlines = new AsyncLocalStorage<number | undefined>();

/** Runs `work` (and everything it starts) with reads bounded to end by `deadlineMs`. */
export function runWithReadDeadline<T>(deadlineMs: number, work: () => T): T {
  return deadlines.run(deadlineMs, work);
}

/** Runs `work` with no bound on its reads, whatever request started it. */
export function withoutReadDeadline<T>(work: () => T): T {
  return deadlines.run(undefined, work);
}

/** A read of a request whose time budget ran out before the read started: it is not run. */
export class QueryBudgetSpentError extends Error {
  override readonly name = 'QueryBudgetSpentError';
  constructor() {
    super('the query time budget (--query-timeout) ran out before this read started');
  }
}

/**
 * Whole seconds ClickHouse may spend on `sql` if it starts now, or undefined for no bound: outside
 * a request, or for a statement that is not a read (DDL, INSERT … SELECT). Rounded up and at least
 * 1, since ClickHouse takes whole seconds here and 0 means no limit: the API's own 504 comes first.
 * Throws {@link QueryBudgetSpentError} once the deadline has passed: a read that waited its turn
 * past it (the embedded engine runs a session's reads one at a time, and ClickHouse counts
 * `max_execution_time` from a query's start) would only hold up the reads behind it.
 */
export function readTimeLimitSeconds(sql: string): number | undefined {
  const deadline = deadlines.getStore();
  if (deadline === undefined || !READ_STATEMENT.test(sql)) return undefined;
  const left = deadline - Date.now();
  if (left <= 0) throw new QueryBudgetSpentError();
  return Math.max(1, Math.ceil(left / 1000));
}

const READ_STATEMENT = /^\s*(?:SELECT|WITH)\b/i;

/**
 * `sql` with the time limit of {@link readTimeLimitSeconds} appended as a SETTINGS clause, for an
 * engine that takes settings only in SQL (chdb's queries have no settings of their own).
 * ClickHouse accepts a SETTINGS clause after FORMAT and after another SETTINGS clause; where the
 * statement sets `max_execution_time` itself, its own value wins (the first one given).
 */
export function withReadTimeLimit(sql: string): string {
  const seconds = readTimeLimitSeconds(sql);
  return seconds === undefined ? sql : `${sql}\nSETTINGS max_execution_time = ${seconds}`;
}
