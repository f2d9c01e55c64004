import { describe, expect, it } from 'vitest';
import { tenantDatabaseName } from '../schema/tenant-database.js';
import { tenantOfDatabase } from './tenant-of-database.js';

describe('tenantOfDatabase', () => {
  it('gives back every tenant tenantDatabaseName encodes', () => {
    for (const tenant of ['single-tenant', 'Team_A', "o'k(1).*!", 'a__b', 'x'.repeat(64), 'Z'])
      expect(tenantOfDatabase(tenantDatabaseName(tenant))).toBe(tenant);
  });

  it('is undefined for databases that are not a tenant’s', () => {
    for (const name of [
      'default',
      'system',
      'tracehouse_',
      'tracehouse_A',
      'tracehouse_a_',
      'tracehouse_a_9',
    ])
      expect(tenantOfDatabase(name), name).toBeUndefined();
  });
});
