/** Tempo's tenant when a request names none (multitenancy off): its `single-tenant`. */
export const DEFAULT_TENANT = 'single-tenant';

let configuredDefault = DEFAULT_TENANT;

/**
 * Sets the tenant of requests that name none (`--default-tenant`), once at start. Process-wide on
 * purpose: every receiver and query route reads the tenant through `tenantFromHeader`, so one
 * setting reaches them all without each being handed it.
 */
export function setDefaultTenant(tenant: string): void {
  configuredDefault = tenant;
}

/** The tenant of requests without `X-Scope-OrgID`: `single-tenant` unless configured. */
export function defaultTenant(): string {
  return configuredDefault;
}

/**
 * The tenant a request names in `X-Scope-OrgID` (HTTP header or gRPC metadata), or the default
 * when it names none. Validation happens where the tenant is used (the store), not here.
 */
export function tenantFromHeader(value: string | string[] | Buffer | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' && first !== '' ? first : configuredDefault;
}
