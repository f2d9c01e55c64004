import type { Session } from 'chdb';

/**
 * One chdb session's statements, one at a time in the order asked — as chdb runs a session's
 * statements anyway — so that a failed statement is cleaned up after before the next one starts.
 * chdb 3.4 keeps the rows a query had already written out when it failed (a time limit, a memory
 * limit) and hands them to the session's next query, in front of that query's own rows: a read of
 * another request, another tenant's even, would get them. A throwaway query after each failure
 * takes them instead.
 */
export class SessionQueue {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly session: Session) {}

  /**
   * Runs `statement` once every statement asked for before it has ended. It runs in the caller's
   * async context, so what it reads of that context (read-deadline.ts) is read when it starts.
   */
  run<T>(statement: (session: Session) => Promise<T>): Promise<T> {
    const result = this.tail.then(() =>
      statement(this.session).catch(async (error: unknown) => {
        await this.session.queryAsync('SELECT 1', { format: 'Null' }).catch(() => undefined);
        throw error;
      }),
    );
    this.tail = result.catch(() => undefined);
    return result;
  }
}
