import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { pickRequest } from './pick-request.js';

export interface LoadOptions {
  /** The reservations-service, e.g. `http://localhost:8081`. */
  target: string;
  ratePerSecond: number;
  /** Stop after this many requests (default: no bound). */
  count?: number;
  /** Stop after this long (default: no bound). */
  durationMs?: number;
  /** Stops the load early; requests under way finish. */
  signal?: AbortSignal;
  /** Called once per answered (or failed) request, with the running totals. */
  onResult?: (result: LoadResult, summary: Readonly<LoadSummary>) => void;
  /** Requests waiting for an answer at most; past it ticks are skipped (a stuck service). */
  maxInFlight?: number;
}

export interface LoadResult {
  username: string;
  /** HTTP status, 0 when the service did not answer. */
  status: number;
  /** The answer text, or the connection error. */
  body: string;
  /** From the service's `X-Trace-Id` header. */
  traceId?: string;
}

export interface LoadSummary {
  sent: number;
  /** Answers by text (`success`, `failure, limit exceeded`, …); `error` for no answer. */
  outcomes: Record<string, number>;
  lastTraceId?: string;
}

/**
 * Sends reservations at a steady rate (open loop: the next request does not wait for the last
 * answer, as real users do not) until the count, the duration or the signal says stop, then waits
 * for the answers still due. Each request carries a made-up bearer token, which the services'
 * redaction processor must keep out of the traces.
 */
export async function runLoad(options: LoadOptions): Promise<LoadSummary> {
  const summary: LoadSummary = { sent: 0, outcomes: {} };
  const intervalMs = 1000 / options.ratePerSecond;
  const deadline = options.durationMs === undefined ? Infinity : Date.now() + options.durationMs;
  const maxInFlight = options.maxInFlight ?? 64;
  const inFlight = new Set<Promise<void>>();
  const url = `${options.target.replace(/\/+$/, '')}/reservations`;
  const start = Date.now();
  let tick = 0;
  while (!options.signal?.aborted && Date.now() < deadline && summary.sent < (options.count ?? Infinity)) {
    if (inFlight.size < maxInFlight) {
      summary.sent++;
      const request = send(url).then((result) => {
        const outcome = result.status === 0 ? 'error' : result.body;
        summary.outcomes[outcome] = (summary.outcomes[outcome] ?? 0) + 1;
        if (result.traceId) summary.lastTraceId = result.traceId;
        options.onResult?.(result, summary);
      });
      inFlight.add(request);
      void request.finally(() => inFlight.delete(request));
    }
    // Ticks are counted from the start so the rate does not drift; after a stall the missed ticks
    // are skipped rather than sent in a burst.
    tick = Math.max(tick + 1, Math.floor((Date.now() - start) / intervalMs));
    const wait = Math.max(0, start + tick * intervalMs - Date.now());
    await sleep(wait, undefined, { signal: options.signal }).catch(() => undefined);
  }
  await Promise.all(inFlight);
  return summary;
}

async function send(url: string): Promise<LoadResult> {
  const { username, itemId } = pickRequest();
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer demo-token-${randomBytes(8).toString('hex')}`,
      },
      body: JSON.stringify({ username, item_id: itemId }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.text();
    return {
      username,
      status: response.status,
      body,
      traceId: response.headers.get('x-trace-id') ?? undefined,
    };
  } catch (error) {
    return { username, status: 0, body: (error as Error).message };
  }
}

/** One line for the terminal: `12 sent: 7 success, 3 failure, limit exceeded, …`. */
export function describeSummary(summary: LoadSummary): string {
  const outcomes = Object.entries(summary.outcomes)
    .sort(([, a], [, b]) => b - a)
    .map(([outcome, n]) => `${n} ${outcome}`)
    .join('; ');
  const trace = summary.lastTraceId ? `; last trace ${summary.lastTraceId}` : '';
  return `${summary.sent} sent${outcomes ? `: ${outcomes}` : ''}${trace}`;
}
