import { tenantFromHeader } from '../model/tenant.js';
import type { AuthScope, AuthTokens } from './auth-tokens.js';

type HeaderValue = string | string[] | Buffer | undefined;

export interface RequestIdentityConfig {
  /** Refuse requests without `X-Scope-OrgID` (Tempo's `multitenancy_enabled`) instead of using the default tenant. */
  multitenancyRequired: boolean;
  /** Bearer tokens; absent means no authentication. */
  tokens?: AuthTokens;
}

/**
 * Why a request's identity was refused: `unauthenticated` (HTTP 401, gRPC UNAUTHENTICATED: who
 * is asking is unknown), `forbidden` (403, PERMISSION_DENIED: known, but not allowed this) or
 * `invalid` (400, INVALID_ARGUMENT: the request names its tenant ambiguously).
 */
export class IdentityError extends Error {
  override readonly name = 'IdentityError';

  constructor(
    readonly kind: 'unauthenticated' | 'forbidden' | 'invalid',
    message: string,
    /** The `WWW-Authenticate` challenge a 401 carries (RFC 6750 §3), when the scheme is Bearer. */
    readonly challenge?: string,
  ) {
    super(message);
  }
}

const CHALLENGE = 'Bearer realm="tracehouse"';

/**
 * Who a request acts as, resolved the same way on every port from `X-Scope-OrgID` (HTTP header or
 * gRPC metadata) and `Authorization: Bearer <token>`:
 *
 * - with tokens: no token → 401 with a Bearer challenge; an unknown token → 401 (`invalid_token`);
 *   a token without the scope, or for another tenant than `X-Scope-OrgID` names → 403; otherwise
 *   the token's tenant (so a sender need not repeat it in `X-Scope-OrgID`).
 * - without tokens: `X-Scope-OrgID`, else the configured default tenant — or, when multitenancy is
 *   required, 401 `no org id`, Tempo's answer (dskit's `user.ErrNoOrgID`) to a request without one.
 */
export class RequestIdentity {
  constructor(private readonly config: RequestIdentityConfig) {}

  /** No authentication, multitenancy optional: what a process without security flags runs. */
  static open(): RequestIdentity {
    return new RequestIdentity({ multitenancyRequired: false });
  }

  /**
   * The tenant a page of the UI is for, when a request without credentials may read it: with
   * bearer tokens configured none may (undefined), else `named` or the default tenant (undefined
   * when multitenancy is required and none is named).
   */
  openTenant(named: string | undefined): string | undefined {
    if (this.config.tokens) return undefined;
    if (named === undefined || named === '')
      return this.config.multitenancyRequired ? undefined : tenantFromHeader(undefined);
    return named;
  }

  /**
   * The request's tenant, or throws {@link IdentityError}. `orgId` is every `X-Scope-OrgID` the
   * request carries (one per header line or metadata entry: see {@link rawHeaderValues}).
   */
  tenantOf(orgId: HeaderValue, authorization: HeaderValue, scope: AuthScope): string {
    const named = onlyOrgId(orgId);
    const { tokens } = this.config;
    if (tokens) {
      const token = bearerToken(firstValue(authorization));
      if (token === undefined)
        throw new IdentityError(
          'unauthenticated',
          'missing bearer token: send Authorization: Bearer <token>',
          CHALLENGE,
        );
      const grant = tokens.find(token);
      if (!grant)
        throw new IdentityError(
          'unauthenticated',
          'invalid bearer token',
          `${CHALLENGE}, error="invalid_token"`,
        );
      if (!grant.scopes.has(scope)) {
        const what = scope === 'ingest' ? 'send spans' : 'query';
        throw new IdentityError(
          'forbidden',
          `this token may not ${what} (its scopes: ${[...grant.scopes].join(', ')})`,
        );
      }
      if (named !== undefined && named !== grant.tenant)
        throw new IdentityError('forbidden', `this token is not valid for tenant "${named}" (X-Scope-OrgID)`);
      return grant.tenant;
    }
    if (named === undefined) {
      if (this.config.multitenancyRequired) throw new IdentityError('unauthenticated', 'no org id');
      return tenantFromHeader(undefined);
    }
    return named;
  }
}

/**
 * The one tenant `X-Scope-OrgID` names. Given more than once with different values it is refused
 * (400 / INVALID_ARGUMENT) rather than read as its first value (what Go's `Header.Get`, and so
 * Tempo's HTTP side, does): a sender whose proxy added a second tenant would otherwise write to,
 * or read, a tenant it may not have meant. The same value repeated is that value.
 */
function onlyOrgId(value: HeaderValue): string | undefined {
  if (Array.isArray(value) && value.length > 1) {
    const distinct = [...new Set(value)];
    if (distinct.length > 1)
      throw new IdentityError(
        'invalid',
        `X-Scope-OrgID given ${value.length} times with different values (${distinct.map((v) => JSON.stringify(v)).join(', ')}): send one tenant`,
      );
  }
  return firstValue(value);
}

/**
 * Every value of the header `name` (lower case) as sent, one per header line, from Node's
 * `rawHeaders`; undefined when absent. `req.headers` joins repeated headers it does not know
 * with ", ", which would hide that a request named two tenants.
 */
export function rawHeaderValues(rawHeaders: readonly string[], name: string): string[] | undefined {
  let values: string[] | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i].toLowerCase() === name) (values ??= []).push(rawHeaders[i + 1]);
  }
  return values;
}

function firstValue(value: HeaderValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  const text = typeof first === 'string' ? first : first.toString('utf8');
  return text === '' ? undefined : text;
}

/** The credentials of `Bearer <token>`; the scheme is case-insensitive (RFC 7235 §2.1). */
function bearerToken(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  return match ? match[1] : undefined;
}
