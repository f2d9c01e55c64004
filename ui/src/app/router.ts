import { useSyncExternalStore } from 'react';
import { withTenant } from '../api/tenant';

/*
 * A router small enough to read: the location is the state (every view's state lives in its URL,
 * so a link reproduces what is on screen), `navigate` pushes or replaces it, and components
 * subscribe through useSyncExternalStore.
 */

const listeners = new Set<() => void>();
const notify = (): void => listeners.forEach((listener) => listener());
window.addEventListener('popstate', notify);

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = (): string => window.location.pathname + window.location.search;

/** Path and query of the current URL; re-renders the caller when either changes. */
export function useLocation(): { path: string; params: URLSearchParams } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const query = href.indexOf('?');
  return {
    path: query === -1 ? href : href.slice(0, query),
    params: new URLSearchParams(query === -1 ? '' : href.slice(query)),
  };
}

/**
 * Goes to a URL inside the app, keeping the current tenant unless `to` names one. `replace` for
 * state changes that should not each be a Back step (typing in a filter, dragging the minimap
 * window, selecting a span).
 */
export function navigate(target: string, options: { replace?: boolean } = {}): void {
  const to = withTenant(target);
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

/** Builds `path?query` from parameters, leaving out empty ones so URLs stay short. */
export function href(path: string, params: Record<string, string | number | undefined | null>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text === '' ? path : `${path}?${text}`;
}

/** Sets some query parameters of the current URL (undefined or '' removes one). */
export function updateParams(
  changes: Record<string, string | number | undefined | null>,
  replace = true,
): void {
  const params = new URLSearchParams(window.location.search);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined || value === null || value === '') params.delete(key);
    else params.set(key, String(value));
  }
  const text = params.toString();
  navigate(window.location.pathname + (text === '' ? '' : `?${text}`), { replace });
}
