import { describe, expect, it } from 'vitest';
import { useEmbeddedDriver } from '../../../test/support/embedded-driver-fixture.js';
import { runWithReadDeadline } from './read-deadline.js';

/** A read that writes rows out as it scans, for many seconds, with no limit of its own. */
const STREAMING_SCAN =
  "SELECT number, 'tenant-a-row' FROM numbers(100000000000) WHERE cityHash64(number) % 100000 = 3 FORMAT TabSeparatedRaw";

// Its own file: chdb opens one data folder per process, and vitest runs each file in its own.
describe("embedded engine: reads cut short by a request's deadline", () => {
  const engine = useEmbeddedDriver('tracehouse-embedded-deadline-');

  it('hands none of the rows a stopped read had written out to the next read', async () => {
    // chdb 3.4 keeps them and puts them in front of the session's next result.
    await expect(
      runWithReadDeadline(Date.now() + 1000, () => engine.driver.text(STREAMING_SCAN)),
    ).rejects.toThrow(/TIMEOUT_EXCEEDED/);
    expect(await engine.driver.query('SELECT 47 AS x')).toEqual([{ x: 47 }]);
    expect(await engine.driver.text('SELECT 48')).toBe('48\n');
  });

  it('does not start a read whose deadline passed while it waited behind another', async () => {
    const first = runWithReadDeadline(Date.now() + 2000, () => engine.driver.text(STREAMING_SCAN));
    const queued = runWithReadDeadline(Date.now() + 1000, () => engine.driver.text(STREAMING_SCAN));
    await expect(first).rejects.toThrow(/TIMEOUT_EXCEEDED/);
    // Given a limit when it was asked for, it would have run a second more after its deadline.
    await expect(queued).rejects.toThrow(
      'the query time budget (--query-timeout) ran out before this read started',
    );
    expect(await engine.driver.query('SELECT 49 AS x')).toEqual([{ x: 49 }]);
  });
});
