import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { InvalidTenantError, validateTenant } from '../store/schema/tenant-database.js';

/** What a token may do: send spans (the receivers) or read them (the query API). */
export type AuthScope = 'ingest' | 'query';
export const AUTH_SCOPES: readonly AuthScope[] = ['ingest', 'query'];

/** The tenant a token acts as and what it may do there. */
export interface TokenGrant {
  readonly tenant: string;
  readonly scopes: ReadonlySet<AuthScope>;
}

export class AuthTokensError extends Error {
  override readonly name = 'AuthTokensError';
}

interface Entry {
  readonly digest: Buffer;
  readonly grant: TokenGrant;
}

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The bearer tokens of `--auth-tokens FILE`: a YAML (or JSON) mapping of token → tenant, or token
 * → `{ tenant, scopes: [ingest, query] }` (both scopes when left out):
 *
 * ```yaml
 * 3f9c…e1: team-a                                  # ingest and query as team-a
 * 77ab…02: { tenant: team-b, scopes: [ingest] }    # an SDK's token: may send, not read
 * ```
 *
 * Only SHA-256 digests are kept, and a lookup compares the presented token's digest with every
 * entry in constant time (`timingSafeEqual`, no early exit), so response timing does not reveal
 * how much of a guess was right.
 */
export class AuthTokens {
  private constructor(private readonly entries: readonly Entry[]) {}

  static async load(path: string): Promise<AuthTokens> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      throw new AuthTokensError(`${path}: cannot read: ${(error as Error).message}`);
    }
    return AuthTokens.parse(text, path);
  }

  /** Parses the file's text; `source` names it in errors. */
  static parse(text: string, source: string): AuthTokens {
    let document: unknown;
    try {
      document = parseYaml(text) as unknown;
    } catch (error) {
      throw new AuthTokensError(`${source}: not YAML or JSON: ${(error as Error).message.split('\n')[0]}`);
    }
    if (typeof document !== 'object' || document === null || Array.isArray(document))
      throw new AuthTokensError(`${source}: expected a mapping of token to tenant`);
    const entries: Entry[] = [];
    for (const [token, value] of Object.entries(document)) {
      if (token.trim() !== token || token === '' || /\s/.test(token))
        throw new AuthTokensError(`${source}: a token must be non-empty and without spaces`);
      entries.push({
        digest: sha256(token),
        grant: grantOf(value, `${source}: token #${entries.length + 1}`),
      });
    }
    if (entries.length === 0) throw new AuthTokensError(`${source}: no tokens`);
    return new AuthTokens(entries);
  }

  get size(): number {
    return this.entries.length;
  }

  /** The grant of a presented token, or undefined when no entry has it. */
  find(token: string): TokenGrant | undefined {
    const digest = sha256(token);
    let found: TokenGrant | undefined;
    for (const entry of this.entries) {
      // Every entry is compared, whether or not one matched already.
      if (timingSafeEqual(entry.digest, digest) && found === undefined) found = entry.grant;
    }
    return found;
  }
}

/** `tenant` or `{ tenant, scopes }`; `where` names the entry without printing the secret. */
function grantOf(value: unknown, where: string): TokenGrant {
  if (typeof value === 'string') return { tenant: tenantOf(value, where), scopes: new Set(AUTH_SCOPES) };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new AuthTokensError(`${where}: expected a tenant or { tenant, scopes }`);
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (key !== 'tenant' && key !== 'scopes')
      throw new AuthTokensError(`${where}: unknown key "${key}"; known keys: scopes, tenant`);
  }
  if (typeof record.tenant !== 'string') throw new AuthTokensError(`${where}: tenant is required`);
  const scopes = record.scopes ?? [...AUTH_SCOPES];
  if (!Array.isArray(scopes) || scopes.length === 0)
    throw new AuthTokensError(`${where}: scopes must be a non-empty list of ${AUTH_SCOPES.join(', ')}`);
  for (const scope of scopes) {
    if (!AUTH_SCOPES.includes(scope as AuthScope))
      throw new AuthTokensError(
        `${where}: unknown scope ${JSON.stringify(scope)}; use ${AUTH_SCOPES.join(', ')}`,
      );
  }
  return { tenant: tenantOf(record.tenant, where), scopes: new Set(scopes as AuthScope[]) };
}

function tenantOf(tenant: string, where: string): string {
  try {
    return validateTenant(tenant);
  } catch (error) {
    if (error instanceof InvalidTenantError) throw new AuthTokensError(`${where}: ${error.message}`);
    throw error;
  }
}
