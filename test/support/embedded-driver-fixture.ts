import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { EmbeddedDriver } from '../../src/store/driver/embedded-driver.js';

/** The engine a test file's cases share, and its data folder. */
export interface EmbeddedDriverFixture {
  readonly driver: EmbeddedDriver;
  readonly dir: string;
}

/**
 * Opens an embedded engine on a new temporary folder before the file's tests and closes and
 * removes it after them. One per test file: chdb opens one data folder per process, and vitest
 * runs each file in a process of its own.
 */
export function useEmbeddedDriver(prefix: string): EmbeddedDriverFixture {
  const fixture = {} as { driver: EmbeddedDriver; dir: string };
  beforeAll(async () => {
    fixture.dir = await mkdtemp(join(tmpdir(), prefix));
    fixture.driver = await EmbeddedDriver.open(fixture.dir);
  });
  afterAll(async () => {
    await fixture.driver?.close();
    if (fixture.dir !== undefined) await rm(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}
