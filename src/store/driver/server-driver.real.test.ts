import { describe } from 'vitest';
import { describeTraceStoreContract } from '../../../test/support/trace-store-contract.js';
import { ServerDriver } from './server-driver.js';
import { parseStorageUrl } from './storage-url.js';

/**
 * The contract against a real ClickHouse server, when one is given:
 * `CLICKHOUSE_URL=clickhouse://default:@localhost:8123 npx vitest run server-driver.real`.
 * Each run uses fresh tenant databases and drops them afterwards.
 */
const url = process.env.CLICKHOUSE_URL;

describe.skipIf(url === undefined || url === '')('real ClickHouse server (CLICKHOUSE_URL)', () => {
  describeTraceStoreContract(`ClickHouse server at ${url ?? ''}`, () => {
    const driver = new ServerDriver(parseStorageUrl(url!));
    return Promise.resolve({ driver, close: () => driver.close() });
  });
});
