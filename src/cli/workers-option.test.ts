import { describe, expect, it } from 'vitest';
import { resolveStartConfig } from './start-options.js';
import { UsageError } from './usage-error.js';
import { resolveWorkerCount } from './workers-option.js';

describe('--workers / TRACEHOUSE_WORKERS', () => {
  it('defaults to 0: every processor on the main thread', () => {
    expect(resolveWorkerCount(undefined, {}, 8)).toBe(0);
    expect(resolveStartConfig({}, {}).workers).toBe(0);
  });

  it('takes auto as one less than the cores, none on one core', () => {
    expect(resolveWorkerCount('auto', {}, 2)).toBe(1);
    expect(resolveWorkerCount('auto', {}, 8)).toBe(7);
    expect(resolveWorkerCount(undefined, { TRACEHOUSE_WORKERS: 'auto' }, 1)).toBe(0);
  });

  it('caps auto at the most a count may say (64) on a machine with more cores', () => {
    expect(resolveWorkerCount('auto', {}, 65)).toBe(64);
    expect(resolveWorkerCount('auto', {}, 128)).toBe(64);
  });

  it('takes a count from the flag, else the variable; 0 turns workers off', () => {
    expect(resolveWorkerCount('0', { TRACEHOUSE_WORKERS: '3' }, 2)).toBe(0);
    expect(resolveWorkerCount(undefined, { TRACEHOUSE_WORKERS: '3' }, 2)).toBe(3);
    expect(resolveWorkerCount(' 2 ', {}, 2)).toBe(2);
    expect(resolveStartConfig({ workers: '2' }, {}).workers).toBe(2);
    expect(resolveStartConfig({}, { TRACEHOUSE_WORKERS: '0' }).workers).toBe(0);
  });

  const bad: [string | undefined, NodeJS.ProcessEnv, string][] = [
    ['two', {}, '--workers: "two" is not a number of worker threads: use 0 to 64, or auto'],
    ['-1', {}, '--workers: "-1" is not a number of worker threads: use 0 to 64, or auto'],
    ['1.5', {}, '--workers: "1.5" is not a number of worker threads: use 0 to 64, or auto'],
    ['65', {}, '--workers: "65" is not a number of worker threads: use 0 to 64, or auto'],
    ['', {}, '--workers: "" is not a number of worker threads: use 0 to 64, or auto'],
    [
      undefined,
      { TRACEHOUSE_WORKERS: 'max' },
      'TRACEHOUSE_WORKERS: "max" is not a number of worker threads: use 0 to 64, or auto',
    ],
  ];
  for (const [flag, env, message] of bad)
    it(`refuses ${JSON.stringify(flag ?? env.TRACEHOUSE_WORKERS)} in one line naming where it came from`, () => {
      expect(() => resolveWorkerCount(flag, env, 2)).toThrow(new UsageError(message));
    });
});
