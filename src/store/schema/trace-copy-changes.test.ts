import { afterAll, describe, expect, it } from 'vitest';
import { openTestEngine } from '../../../test/support/chdb-test-session.js';
import {
  COPY_TRUST_DELAY_SECONDS,
  copyTrustedFrom,
  createTraceCopyChangesTableSql,
  recordSpansWithoutCopy,
  recordTraceCopyMode,
} from './trace-copy-changes.js';

const off = (at: number) => ({ at, enabled: false });
const on = (at: number) => ({ at, enabled: true });
const DAY = 86_400;

describe('copyTrustedFrom', () => {
  it('trusts every trace when the copy never had a gap', () => {
    expect(copyTrustedFrom([], true, 1000, 7 * DAY)).toBe(0);
  });

  it('trusts none while this process or the last change says the copy is off', () => {
    expect(copyTrustedFrom([], false, 1000, 7 * DAY)).toBe(Infinity);
    expect(copyTrustedFrom([off(100), on(200)], false, 1000, 7 * DAY)).toBe(Infinity);
    expect(copyTrustedFrom([off(100), on(200), off(300)], true, 1000, 7 * DAY)).toBe(Infinity);
  });

  it('trusts traces starting a delay after the copy was last complete again', () => {
    expect(copyTrustedFrom([off(100), on(200)], true, 1000, 7 * DAY)).toBe(200 + COPY_TRUST_DELAY_SECONDS);
    expect(copyTrustedFrom([off(100), on(200), off(300), on(400.5)], true, 1000, 7 * DAY)).toBe(
      401 + COPY_TRUST_DELAY_SECONDS,
    );
  });

  it('forgets a gap once its spans are past the retention, not with retention forever', () => {
    const from = 200 + COPY_TRUST_DELAY_SECONDS;
    expect(copyTrustedFrom([off(100), on(200)], true, from + 7 * DAY + DAY, 7 * DAY)).toBe(from);
    expect(copyTrustedFrom([off(100), on(200)], true, from + 7 * DAY + DAY + 1, 7 * DAY)).toBe(0);
    expect(copyTrustedFrom([off(100), on(200)], true, from + 1000 * DAY, 0)).toBe(from);
  });
});

describe('recording the changes', () => {
  const engine = openTestEngine();
  afterAll(() => engine.close());
  const db = 'copy_changes';
  const recorded = async (): Promise<string[]> =>
    (
      await engine.run(
        `SELECT Enabled, toUnixTimestamp64Milli(At) FROM ${db}.tracehouse_trace_copy_changes ORDER BY At FORMAT TSV`,
      )
    )
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => {
        const [enabled, ms] = line.split('\t');
        return `${enabled === 'true' ? 'on' : 'off'}@${Number(ms) / 1000}`;
      });

  it('records only what changes, from processes with and without the copy', async () => {
    await engine.run(`CREATE DATABASE ${db}`);
    await engine.run(createTraceCopyChangesTableSql(db));
    // A process with the copy, on a database that always had it: nothing to record.
    expect(await recordTraceCopyMode(engine.run, db, true, 1000)).toEqual([]);
    // It flushes log records written without the copy: a gap ending now.
    await recordSpansWithoutCopy(engine.run, db, true, 1010);
    expect(await recorded()).toEqual(['off@1010', 'on@1010.001']);
    // More such records within the minute: the gap covers them.
    await recordSpansWithoutCopy(engine.run, db, true, 1050);
    expect(await recorded()).toHaveLength(2);
    // A process without the copy starts, and flushes: recorded once.
    await recordTraceCopyMode(engine.run, db, false, 2000);
    await recordSpansWithoutCopy(engine.run, db, false, 2001);
    expect((await recorded()).slice(2)).toEqual(['off@2000']);
    // A process with the copy starts while that one still writes: it records the copy complete,
    // and the other's next flush says otherwise, so no process trusts the copy.
    await recordTraceCopyMode(engine.run, db, true, 3000);
    const changes = await recordSpansWithoutCopy(engine.run, db, false, 3001);
    expect((await recorded()).slice(3)).toEqual(['on@3000', 'off@3001']);
    expect(copyTrustedFrom(changes, true, 3002, 0)).toBe(Infinity);
    // A process with the copy does not close that gap itself by flushing: only a start does.
    await recordSpansWithoutCopy(engine.run, db, true, 3100);
    expect(await recorded()).toHaveLength(5);
    const after = await recordTraceCopyMode(engine.run, db, true, 4000);
    expect(copyTrustedFrom(after, true, 4001, 0)).toBe(4000 + COPY_TRUST_DELAY_SECONDS);
  });
});
