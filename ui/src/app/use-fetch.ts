import { useCallback, useEffect, useRef, useState } from 'react';
import { currentTenant } from '../api/tenant';

export interface FetchState<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  /** Fetches again, bypassing the cache. */
  reload: () => void;
}

/** Answers by key for the session: going back to a view shows it at once (a tiny query cache). */
const cache = new Map<string, unknown>();
const MAX_CACHED = 50;

/**
 * Server data for a view, keyed by what determines it (usually the URL of the request). While a
 * new key loads, the previous data stays on screen (no layout shift, no flash of "loading").
 * A key of null fetches nothing.
 */
export function useFetch<T>(
  viewKey: string | null,
  fetcher: (signal: AbortSignal) => Promise<T>,
): FetchState<T> {
  // The same view of another tenant is other data: the tenant is part of every key.
  const key = viewKey === null ? null : `${currentTenant() ?? ''}\n${viewKey}`;
  const [state, setState] = useState<{ key: string | null; data?: T; error?: Error; loading: boolean }>(
    () => ({
      key,
      data: key === null ? undefined : (cache.get(key) as T | undefined),
      loading: key !== null && !cache.has(key),
    }),
  );
  const [generation, setGeneration] = useState(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const lastGeneration = useRef(0);

  useEffect(() => {
    if (key === null) return;
    const forced = generation !== lastGeneration.current;
    lastGeneration.current = generation;
    if (!forced && cache.has(key)) {
      setState({ key, data: cache.get(key) as T, loading: false });
      return;
    }
    const controller = new AbortController();
    setState((previous) => ({ key, data: previous.data, loading: true }));
    fetcherRef.current(controller.signal).then(
      (data) => {
        if (controller.signal.aborted) return;
        if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value as string);
        cache.set(key, data);
        setState({ key, data, loading: false });
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        setState((previous) => ({
          key,
          data: previous.data,
          error: error instanceof Error ? error : new Error(String(error)),
          loading: false,
        }));
      },
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}
