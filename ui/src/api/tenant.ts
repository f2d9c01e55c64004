/*
 * The tenant the UI reads as. Like all view state it lives in the URL (`?tenant=`), so a link
 * opens the same tenant's data; every API request names it in `X-Scope-OrgID` (Tempo's header),
 * and without it the server uses its default tenant.
 */

export const TENANT_PARAM = 'tenant';

/** The tenant the URL names, or undefined for the server's default. */
export function currentTenant(): string | undefined {
  const tenant = new URLSearchParams(window.location.search).get(TENANT_PARAM);
  return tenant === null || tenant === '' ? undefined : tenant;
}

/** Headers naming the current tenant, for every API request. */
export function tenantHeaders(): Record<string, string> {
  const tenant = currentTenant();
  return tenant === undefined ? {} : { 'x-scope-orgid': tenant };
}

/**
 * `to` (a path with or without a query) keeping the current tenant, unless it names one itself:
 * moving between views must not silently switch tenants.
 */
export function withTenant(to: string): string {
  const tenant = currentTenant();
  if (tenant === undefined) return to;
  const query = to.indexOf('?');
  if (query !== -1 && new URLSearchParams(to.slice(query + 1)).has(TENANT_PARAM)) return to;
  return `${to}${query === -1 ? '?' : '&'}${TENANT_PARAM}=${encodeURIComponent(tenant)}`;
}
