import { ApiError, fetchJson } from './http';

/** Tempo's `GET /api/search` answer (the fields the UI reads). */
export interface SearchTrace {
  traceID: string;
  rootServiceName?: string;
  rootTraceName?: string;
  startTimeUnixNano: string;
  durationMs?: number;
  serviceStats?: Record<string, { spanCount: number; errorCount?: number }>;
}

export interface SearchAnswer {
  traces?: SearchTrace[];
  metrics?: { inspectedTraces?: number };
}

export interface SearchParams {
  q: string;
  start: number;
  end: number;
  limit: number;
}

export function searchUrl(params: SearchParams): string {
  const query = new URLSearchParams({
    q: params.q,
    start: String(params.start),
    end: String(params.end),
    limit: String(params.limit),
    spss: '1',
  });
  return `/api/search?${query.toString()}`;
}

export const search = (params: SearchParams, signal?: AbortSignal): Promise<SearchAnswer> =>
  fetchJson<SearchAnswer>(searchUrl(params), signal);

/**
 * Tempo's `GET /api/v2/search/tags`: attribute names by scope. Autocompletion is a nicety, so an
 * older or partial server (404) means "no suggestions", not an error on screen.
 */
export async function tagNames(
  range: { start: number; end: number },
  signal?: AbortSignal,
): Promise<{ scope: string; tags: string[] }[]> {
  try {
    const answer = await fetchJson<{ scopes?: { name: string; tags?: string[] }[] }>(
      `/api/v2/search/tags?start=${range.start}&end=${range.end}`,
      signal,
    );
    return (answer.scopes ?? []).map((s) => ({ scope: s.name, tags: s.tags ?? [] }));
  } catch (error) {
    if (error instanceof ApiError) return [];
    throw error;
  }
}

/** Tempo's `GET /api/v2/search/tag/<scope.name>/values`; [] when the server has no such endpoint. */
export async function tagValues(
  tag: string,
  range: { start: number; end: number },
  signal?: AbortSignal,
): Promise<{ type: string; value: string }[]> {
  try {
    const answer = await fetchJson<{ tagValues?: { type: string; value: string }[] }>(
      `/api/v2/search/tag/${encodeURIComponent(tag)}/values?start=${range.start}&end=${range.end}`,
      signal,
    );
    return answer.tagValues ?? [];
  } catch (error) {
    if (error instanceof ApiError) return [];
    throw error;
  }
}
