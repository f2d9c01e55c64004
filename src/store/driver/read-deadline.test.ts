import { describe, expect, it } from 'vitest';
import {
  QueryBudgetSpentError,
  readTimeLimitSeconds,
  runWithReadDeadline,
  withoutReadDeadline,
  withReadTimeLimit,
} from './read-deadline.js';

describe('read deadline', () => {
  it('bounds the reads made within a request, in whole seconds left, at least 1', async () => {
    expect(readTimeLimitSeconds('SELECT 1')).toBeUndefined();
    await runWithReadDeadline(Date.now() + 2500, async () => {
      expect(readTimeLimitSeconds('SELECT 1')).toBe(3);
      expect(readTimeLimitSeconds('  with x AS (SELECT 1) SELECT * FROM x')).toBe(3);
      // The bound follows the request's work across awaits and timers.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(readTimeLimitSeconds('select 1')).toBe(2);
    });
    runWithReadDeadline(Date.now() + 10, () => expect(readTimeLimitSeconds('SELECT 1')).toBe(1));
    // Past the deadline a read is not started at all.
    runWithReadDeadline(Date.now() - 5000, () =>
      expect(() => readTimeLimitSeconds('SELECT 1')).toThrow(QueryBudgetSpentError),
    );
  });

  it('leaves statements that are not reads, and work run without the deadline, unbounded', () => {
    runWithReadDeadline(Date.now() + 10_000, () => {
      for (const sql of ['INSERT INTO t SELECT 1', 'ALTER TABLE t MODIFY TTL x', 'CREATE TABLE t (x UInt8)'])
        expect(readTimeLimitSeconds(sql)).toBeUndefined();
      withoutReadDeadline(() => expect(readTimeLimitSeconds('SELECT 1')).toBeUndefined());
    });
  });

  it('appends the bound as a last SETTINGS clause, after FORMAT if there is one', () => {
    const sql = 'SELECT 1 FORMAT TabSeparatedRaw';
    expect(withReadTimeLimit(sql)).toBe(sql);
    runWithReadDeadline(Date.now() + 1000, () =>
      expect(withReadTimeLimit(sql)).toBe(`${sql}\nSETTINGS max_execution_time = 1`),
    );
  });
});
