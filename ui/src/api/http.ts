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
  const request = fetch(url, { signal, headers: { accept: 'application/json', ...tenantHeaders() } });
  return readText(url, request, signal);
}

export async function fetchJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return JSON.parse(await fetchText(url, signal)) as T;
}

/** fetchJson for a request to `url` that is already under way (index.html's early trace request). */
export async function readJson<T>(url: string, request: Promise<Response>): Promise<T> {
  return JSON.parse(await readText(url, request)) as T;
}

/** The text of the answer to `request` (made to `url`), or an ApiError saying why there is none. */
async function readText(url: string, request: Promise<Response>, signal?: AbortSignal): Promise<string> {
  let response: Response;
  try {
    response = await request;
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'Tracehouse did not answer: is it running, and reachable from this browser?', url);
  }
  const text = await response.text();
  if (!response.ok) throw new ApiError(response.status, text.trim() || response.statusText, url);
  return text;
}

/** Position of a TraceQL error from the message's trailing ` at line:column`, if it has one. */
export function errorPosition(message: string): { line: number; column: number } | undefined {
  const match = / at (\d+):(\d+)\s*$/.exec(message);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}
