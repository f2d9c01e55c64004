import { afterAll, beforeAll } from 'vitest';
import type { ApiServerConfig } from '../../src/api/api-server.js';
import { ApiServer } from '../../src/api/api-server.js';
import type { TwoTenantStore } from './two-tenant-store.js';
import { openTwoTenantStore } from './two-tenant-store.js';

/** What a test file's query API runs on; read its fields inside tests (set in beforeAll). */
export interface ApiOverTwoTenantStore {
  readonly fixture: TwoTenantStore;
  readonly server: ApiServer;
  /** `http://127.0.0.1:<port>` */
  readonly base: string;
}

/**
 * Registers the file's beforeAll and afterAll: the two-tenant store (two-tenant-store.ts), and the
 * query API over it on a free loopback port, with `config` (given the store) over the defaults.
 */
export function useApiOverTwoTenantStore(
  config: (fixture: TwoTenantStore) => Partial<ApiServerConfig> = () => ({}),
): ApiOverTwoTenantStore {
  let fixture: TwoTenantStore | undefined;
  let api: ApiServer | undefined;
  beforeAll(async () => {
    fixture = await openTwoTenantStore();
    api = new ApiServer({
      endpoint: { host: '127.0.0.1', port: 0 },
      store: fixture.store,
      ...config(fixture),
    });
    await api.start();
  });
  afterAll(async () => {
    await api?.shutdown();
    await fixture?.close();
  });
  return {
    get fixture(): TwoTenantStore {
      if (!fixture) throw new Error('the two-tenant store opens in beforeAll');
      return fixture;
    },
    get server(): ApiServer {
      if (!api) throw new Error('the query API starts in beforeAll');
      return api;
    },
    get base(): string {
      return `http://${this.server.address()}`;
    },
  };
}
