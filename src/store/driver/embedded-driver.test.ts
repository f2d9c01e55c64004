import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeTraceStoreContract } from '../../../test/support/trace-store-contract.js';
import { EmbeddedDriver } from './embedded-driver.js';

describeTraceStoreContract('embedded engine (chdb)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tracehouse-embedded-'));
  const driver = await EmbeddedDriver.open(dir);
  return {
    driver,
    close: async () => {
      await driver.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
