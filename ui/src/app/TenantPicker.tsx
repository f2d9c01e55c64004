import type { ChangeEvent } from 'react';
import { fetchTenants } from '../api/native-api';
import { currentTenant, TENANT_PARAM } from '../api/tenant';
import { navigate, useLocation } from './router';
import { useFetch } from './use-fetch';

/**
 * The tenant every view reads (`?tenant=`, sent as `X-Scope-OrgID`), chosen from the tenants the
 * server lists. Until the list arrives, or if it cannot be had, it shows the current tenant alone,
 * so the top bar keeps its size.
 */
export function TenantPicker() {
  const { path, params } = useLocation();
  const named = currentTenant();
  const list = useFetch('tenants', (signal) => fetchTenants(signal));
  const current = named ?? list.data?.default ?? '';
  const tenants = list.data?.tenants.includes(current)
    ? list.data.tenants
    : [current, ...(list.data?.tenants ?? [])];
  const choose = (event: ChangeEvent<HTMLSelectElement>): void => {
    const tenant = event.target.value;
    // A trace belongs to one tenant: switching from a trace goes to that tenant's search.
    const next = path.startsWith('/trace/') ? new URLSearchParams() : new URLSearchParams(params);
    next.set(TENANT_PARAM, tenant);
    navigate(`${path.startsWith('/trace/') ? '/search' : path}?${next.toString()}`);
  };
  return (
    <label className="tenant-picker" title="Tenant (X-Scope-OrgID) the views read">
      <span className="muted">Tenant</span>
      <select aria-label="Tenant" data-testid="tenant-picker" value={current} onChange={choose}>
        {tenants.map((tenant) => (
          <option key={tenant} value={tenant}>
            {tenant === '' ? 'default' : tenant}
          </option>
        ))}
      </select>
    </label>
  );
}
