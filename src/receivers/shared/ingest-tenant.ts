import { IdentityError, RequestIdentity } from '../../auth/request-identity.js';
import { RequestRejection } from './request-rejection.js';

type HeaderValue = string | string[] | Buffer | undefined;

const OPEN = RequestIdentity.open();

/**
 * The tenant an export request writes to (`X-Scope-OrgID`, bearer token, default tenant), or the
 * 400 / 401 / 403 (INVALID_ARGUMENT / UNAUTHENTICATED / PERMISSION_DENIED) rejection the identity
 * rules give. `orgId` is every `X-Scope-OrgID` header line or metadata entry. Without an
 * identity (`tracehouse collector`, tests) the header or the default tenant, as before.
 */
export function ingestTenant(
  identity: RequestIdentity | undefined,
  orgId: HeaderValue,
  authorization: HeaderValue,
): string {
  try {
    return (identity ?? OPEN).tenantOf(orgId, authorization, 'ingest');
  } catch (error) {
    if (error instanceof IdentityError)
      throw new RequestRejection(error.kind, error.message, undefined, error.challenge);
    throw error;
  }
}
