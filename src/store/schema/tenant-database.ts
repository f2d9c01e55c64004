/**
 * Tenant → ClickHouse database. The tenant comes from Tempo's `X-Scope-OrgID` header, so it is
 * validated with Tempo's rules (Grafana dskit `tenant.ValidTenantID`, shared by Tempo, Mimir and
 * Loki): letters, digits and `! - _ . * ' ( )`, and not `.` or `..`. dskit allows 150 characters;
 * we allow 64: ClickHouse keeps names as file names and refuses a database + table name longer than
 * 213 bytes together, and the encoded name below is up to 11 + 2 × 64 = 139 bytes, which leaves 74
 * for table names (`otel_traces_trace_id_ts_local` has 29).
 *
 * The database name is `tracehouse_` + an injective encoding of the tenant that uses only
 * `[a-z0-9_]`, so it is safe even unquoted, cannot collide with another tenant's (nor differ only
 * in case, which would collide on case-insensitive file systems), and cannot name a system
 * database. It is still quoted with `quoteIdentifier` wherever it reaches SQL.
 */

import { DEFAULT_TENANT } from '../../model/tenant.js';

export { DEFAULT_TENANT };

export const MAX_TENANT_LENGTH = 64;

const DATABASE_PREFIX = 'tracehouse_';

/**
 * `_` starts a two-character escape: `_` + lowercase letter for an uppercase letter, `__` for an
 * underscore, `_0`…`_6` for the other allowed punctuation. Lowercase letters and digits stay.
 */
const PUNCTUATION_ESCAPES: Readonly<Record<string, string>> = {
  _: '__',
  '-': '_0',
  '.': '_1',
  '!': '_2',
  '*': '_3',
  "'": '_4',
  '(': '_5',
  ')': '_6',
};

const VALID_TENANT = /^[A-Za-z0-9!\-_.*'()]+$/;

export class InvalidTenantError extends Error {
  override readonly name = 'InvalidTenantError';
  readonly tenant: string;

  constructor(tenant: string, reason: string) {
    super(`invalid tenant ${JSON.stringify(tenant)} (X-Scope-OrgID): ${reason}`);
    this.tenant = tenant;
  }
}

/** Throws {@link InvalidTenantError} naming what is wrong; returns the tenant unchanged otherwise. */
export function validateTenant(tenant: string): string {
  if (tenant.length === 0) throw new InvalidTenantError(tenant, 'it is empty');
  if (tenant.length > MAX_TENANT_LENGTH) {
    throw new InvalidTenantError(
      tenant,
      `it has ${tenant.length} characters, at most ${MAX_TENANT_LENGTH} are allowed`,
    );
  }
  if (tenant === '.' || tenant === '..') throw new InvalidTenantError(tenant, `"${tenant}" is reserved`);
  if (!VALID_TENANT.test(tenant)) {
    const bad = [...tenant].find((c) => !VALID_TENANT.test(c)) ?? '';
    const shown = /^[\x21-\x7e]$/.test(bad)
      ? `'${bad}'`
      : `U+${(bad.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new InvalidTenantError(
      tenant,
      `character ${shown} is not allowed; use letters, digits and ! - _ . * ' ( )`,
    );
  }
  return tenant;
}

/** The database holding one tenant's tables; throws {@link InvalidTenantError} for a bad tenant. */
export function tenantDatabaseName(tenant: string): string {
  validateTenant(tenant);
  let encoded = DATABASE_PREFIX;
  for (const c of tenant) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) encoded += c;
    else if (c >= 'A' && c <= 'Z') encoded += '_' + c.toLowerCase();
    else encoded += PUNCTUATION_ESCAPES[c];
  }
  return encoded;
}
