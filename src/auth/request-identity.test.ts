import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT, setDefaultTenant } from '../model/tenant.js';
import { AuthTokens } from './auth-tokens.js';
import type { AuthScope } from './auth-tokens.js';
import { IdentityError, rawHeaderValues, RequestIdentity } from './request-identity.js';

const tokens = AuthTokens.parse('tok-a: team-a\ntok-i: { tenant: team-i, scopes: [ingest] }', 'tokens');

afterEach(() => setDefaultTenant(DEFAULT_TENANT));

function refusal(
  identity: RequestIdentity,
  orgId: string | undefined,
  auth: string | undefined,
  scope: AuthScope,
) {
  try {
    return { tenant: identity.tenantOf(orgId, auth, scope) };
  } catch (error) {
    if (!(error instanceof IdentityError)) throw error;
    return { kind: error.kind, message: error.message, challenge: error.challenge };
  }
}

describe('RequestIdentity', () => {
  it('without tokens: X-Scope-OrgID, else the configured default tenant', () => {
    const open = RequestIdentity.open();
    expect(open.tenantOf('team-x', undefined, 'query')).toBe('team-x');
    expect(open.tenantOf(['team-y'], undefined, 'ingest')).toBe('team-y');
    expect(open.tenantOf(Buffer.from('team-b'), undefined, 'ingest')).toBe('team-b');
    expect(open.tenantOf(undefined, 'Bearer ignored', 'query')).toBe('single-tenant');
    setDefaultTenant('acme');
    expect(open.tenantOf('', undefined, 'query')).toBe('acme');
  });

  it('refuses X-Scope-OrgID given twice with different values (400), with or without tokens', () => {
    const message = 'X-Scope-OrgID given 3 times with different values ("team-y", "team-z"): send one tenant';
    for (const identity of [
      RequestIdentity.open(),
      new RequestIdentity({ multitenancyRequired: false, tokens }),
    ]) {
      expect(() => identity.tenantOf(['team-y', 'team-z', 'team-y'], 'Bearer tok-a', 'ingest')).toThrow(
        expect.objectContaining({ kind: 'invalid', message }) as Error,
      );
    }
    expect(RequestIdentity.open().tenantOf(['team-y', 'team-y'], undefined, 'query')).toBe('team-y');
  });

  it('reads every line of a header from rawHeaders, whatever its case', () => {
    const raw = ['Host', 'x', 'X-Scope-OrgID', 'team-a', 'x-scope-orgid', 'team-b', 'Accept', '*/*'];
    expect(rawHeaderValues(raw, 'x-scope-orgid')).toEqual(['team-a', 'team-b']);
    expect(rawHeaderValues(raw, 'authorization')).toBeUndefined();
  });

  it('with multitenancy required: 401 "no org id" without X-Scope-OrgID, as Tempo answers', () => {
    const required = new RequestIdentity({ multitenancyRequired: true });
    expect(refusal(required, undefined, undefined, 'query')).toEqual({
      kind: 'unauthenticated',
      message: 'no org id',
      challenge: undefined,
    });
    expect(refusal(required, 'team-x', undefined, 'ingest')).toEqual({ tenant: 'team-x' });
  });

  it.each([
    [
      'no token',
      'team-a',
      undefined,
      'query',
      'unauthenticated',
      /missing bearer token/,
      'Bearer realm="tracehouse"',
    ],
    [
      'an empty Bearer',
      'team-a',
      'Bearer ',
      'query',
      'unauthenticated',
      /missing bearer token/,
      'Bearer realm="tracehouse"',
    ],
    [
      'Basic',
      undefined,
      'Basic dG9rLWE=',
      'query',
      'unauthenticated',
      /missing/,
      'Bearer realm="tracehouse"',
    ],
    [
      'an unknown token',
      undefined,
      'Bearer tok-b',
      'query',
      'unauthenticated',
      /^invalid bearer token$/,
      'Bearer realm="tracehouse", error="invalid_token"',
    ],
    [
      'another tenant',
      'team-b',
      'Bearer tok-a',
      'query',
      'forbidden',
      /not valid for tenant "team-b"/,
      undefined,
    ],
    [
      'a missing scope',
      undefined,
      'Bearer tok-i',
      'query',
      'forbidden',
      /may not query \(its scopes: ingest\)/,
      undefined,
    ],
  ] as const)('with tokens, refuses %s', (_case, orgId, auth, scope, kind, message, challenge) => {
    const identity = new RequestIdentity({ multitenancyRequired: true, tokens });
    expect(refusal(identity, orgId, auth, scope)).toEqual({
      kind,
      message: expect.stringMatching(message) as unknown,
      challenge,
    });
  });

  it("with tokens: the token's tenant, named or not, the scheme in any case", () => {
    const identity = new RequestIdentity({ multitenancyRequired: true, tokens });
    expect(identity.tenantOf(undefined, 'Bearer tok-a', 'query')).toBe('team-a');
    expect(identity.tenantOf('team-a', 'bearer  tok-a', 'ingest')).toBe('team-a');
    expect(identity.tenantOf(undefined, 'BEARER tok-i', 'ingest')).toBe('team-i');
  });
  it('lets a UI page read without credentials only where no token is needed (openTenant)', () => {
    expect(RequestIdentity.open().openTenant('team-x')).toBe('team-x');
    expect(RequestIdentity.open().openTenant(undefined)).toBe(DEFAULT_TENANT);
    const required = new RequestIdentity({ multitenancyRequired: true });
    expect([required.openTenant('team-x'), required.openTenant(undefined)]).toEqual(['team-x', undefined]);
    const withTokens = new RequestIdentity({ multitenancyRequired: false, tokens });
    expect([withTokens.openTenant('team-a'), withTokens.openTenant(undefined)]).toEqual([
      undefined,
      undefined,
    ]);
  });
});
