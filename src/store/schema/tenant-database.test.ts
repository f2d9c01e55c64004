import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations } from './apply-migrations.js';
import type { TestEngine } from '../../../test/support/chdb-test-session.js';
import { openTestEngine } from '../../../test/support/chdb-test-session.js';
import {
  DEFAULT_TENANT,
  InvalidTenantError,
  MAX_TENANT_LENGTH,
  tenantDatabaseName,
  validateTenant,
} from './tenant-database.js';

describe('tenantDatabaseName', () => {
  it('keeps lowercase letters and digits and escapes the rest', () => {
    expect(tenantDatabaseName('acme42')).toBe('tracehouse_acme42');
    expect(tenantDatabaseName(DEFAULT_TENANT)).toBe('tracehouse_single_0tenant');
    expect(tenantDatabaseName('Team_A.prod')).toBe('tracehouse__team___a_1prod');
    expect(tenantDatabaseName("a!*'()-._")).toBe('tracehouse_a_2_3_4_5_6_0_1__');
  });

  it('never maps two tenants to one database', () => {
    // Pairs that a lossy encoding (lowercasing, dropping or merging punctuation) would collide.
    const tenants = ['a', 'A', 'a_b', 'a-b', 'a.b', 'aB', 'a_b_', 'a__b', 'ab', '_', '__', '_0', '-', 'a_0'];
    const names = tenants.map(tenantDatabaseName);
    expect(new Set(names).size).toBe(tenants.length);
    for (const name of names) expect(name).toMatch(/^tracehouse_[a-z0-9_]+$/);
  });

  it('stays a valid file name at the longest tenant', () => {
    expect(tenantDatabaseName('A'.repeat(MAX_TENANT_LENGTH)).length).toBe(11 + 2 * MAX_TENANT_LENGTH);
  });
});

describe('validateTenant', () => {
  it.each([
    ['', 'it is empty'],
    ['.', '"." is reserved'],
    ['..', '".." is reserved'],
    [
      'x'.repeat(MAX_TENANT_LENGTH + 1),
      `it has ${MAX_TENANT_LENGTH + 1} characters, at most ${MAX_TENANT_LENGTH} are allowed`,
    ],
    ['a"b', `character '"' is not allowed`],
    ['a`b', "character '`' is not allowed"],
    ["x'; DROP DATABASE system; --", "character ';' is not allowed"],
    ['a b', 'character U+0020 is not allowed'],
    ['a/b', "character '/' is not allowed"],
    ['a\\b', "character '\\' is not allowed"],
    ['tenant|other', "character '|' is not allowed"],
    ['café', 'character U+00E9 is not allowed'],
    ['a\nb', 'character U+000A is not allowed'],
    ['a\0b', 'character U+0000 is not allowed'],
    ['租户', 'character U+79DF is not allowed'],
  ])('refuses %j: %s', (tenant, reason) => {
    const error = (() => {
      try {
        tenantDatabaseName(tenant);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(InvalidTenantError);
    expect((error as InvalidTenantError).message).toBe(
      `invalid tenant ${JSON.stringify(tenant)} (X-Scope-OrgID): ${reason}` +
        (reason.startsWith('character') ? "; use letters, digits and ! - _ . * ' ( )" : ''),
    );
  });

  it("accepts every character Tempo's dskit accepts", () => {
    expect(validateTenant("Az09!-_.*'()")).toBe("Az09!-_.*'()");
    expect(validateTenant('x'.repeat(MAX_TENANT_LENGTH))).toHaveLength(MAX_TENANT_LENGTH);
  });
});

describe('tenant databases on the engine', () => {
  let engine: TestEngine;
  beforeAll(() => {
    engine = openTestEngine();
  });
  afterAll(() => engine.close());

  it('gives two tenants two databases', async () => {
    const a = tenantDatabaseName('team-a');
    const b = tenantDatabaseName('Team-A');
    await applyMigrations(engine.run, a);
    await applyMigrations(engine.run, b);
    await engine.run(
      // Timestamp now: a default (1970) row is past the retention TTL and a merge may drop it.
      `INSERT INTO ${a}.otel_traces (Timestamp, TraceId, SpanName) VALUES (now64(9), '0af7651916cd43dd8448eb211c80319c', 'only-a')`,
    );
    expect(await engine.value(`SELECT count() FROM ${a}.otel_traces`)).toBe('1');
    expect(await engine.value(`SELECT count() FROM ${b}.otel_traces`)).toBe('0');
    const databases = await engine.value(
      "SELECT groupArray(name) FROM system.databases WHERE name LIKE 'tracehouse%'",
    );
    expect(JSON.parse(databases.replaceAll("'", '"'))).toEqual(expect.arrayContaining([a, b]));
  });

  it('holds the longest tenant, with room for longer table names than ours', async () => {
    const db = tenantDatabaseName('Z'.repeat(MAX_TENANT_LENGTH));
    await applyMigrations(engine.run, db);
    await engine.run(`CREATE TABLE ${db}.${'t'.repeat(60)} (x UInt8) ENGINE = MergeTree ORDER BY x`);
    expect(await engine.value(`SELECT count() FROM ${db}.otel_traces`)).toBe('0');
  });
});
