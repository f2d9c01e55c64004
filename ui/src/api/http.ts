import { tenantHeaders } from './tenant';

/** A non-2xx answer: the status and the server's plain-text message (Tempo's error style). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly url: string,
  ) {
    super(message);
  }
}

export async function fetchText(url: string, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await fetch(url, { signal, headers: { accept: 'application/json', ...tenantHeaders() } });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'Tracehouse did not answer: is it running, and reachable from this browser?', url);
  }
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, text.trim() || response.statusText, url);
  return text;
}

export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return JSON.parse(await fetchText(url, signal)) as T;
}

/** Position of a TraceQL error from the message's trailing ` at line:column`, if it has one. */
export function errorPosition(message: string): { line: number; column: number } | undefined {
  const match = / at (\d+):(\d+)\s*$/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}
