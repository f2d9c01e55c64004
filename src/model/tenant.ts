/** Tempo's tenant when a request names none (multitenancy off): its `single-tenant`. */
export const DEFAULT_TENANT = 'single-tenant';

/**
 * The tenant a request names in `X-Scope-OrgID` (HTTP header or gRPC metadata), or the default
 * when it names none. Validation happens where the tenant is used (the store), not here.
 */
export function tenantFromHeader(value: string | string[] | Buffer | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : DEFAULT_TENANT;
}
