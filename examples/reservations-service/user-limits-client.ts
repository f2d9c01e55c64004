import { context, propagation, SpanKind, trace } from '@opentelemetry/api';
import { randomSleep } from '../shared/random-sleep.js';
import { traced } from '../tracing/traced.js';

/** The user-service could not be asked (down, or answered neither 200 nor 404). */
export class UserServiceError extends Error {}

export interface UserLimitsClientOptions {
  /** e.g. `http://localhost:8080`. */
  baseUrl: string;
  maxSleepMs: number;
  /** Default 5 s: a hung user-service must not hold reservations open for ever. */
  timeoutMs?: number;
}

/**
 * Asks the user-service for a user's reservation limit; `undefined` when it does not know the
 * user (404).
 *
 * Context propagation, the sending half: `fetch_limit` is a CLIENT span, and while it is the
 * active span `propagation.inject` writes its context into the request headers as W3C
 * `traceparent` (and `tracestate`). The user-service extracts it, so its span becomes a child of
 * this one and both services' spans form one trace.
 */
export function userLimitsClient(
  options: UserLimitsClientOptions,
): (username: string) => Promise<number | undefined> {
  const base = options.baseUrl.replace(/\/+$/, '');
  return traced(
    'fetch_limit',
    async (username: string): Promise<number | undefined> => {
      await randomSleep(options.maxSleepMs);
      const url = `${base}/users/${encodeURIComponent(username)}/limits`;
      const headers: Record<string, string> = { accept: 'application/json' };
      propagation.inject(context.active(), headers);
      const span = trace.getActiveSpan();
      const { hostname, port } = new URL(url);
      // The template, not the URL: the path holds the user name, which the traces must not carry.
      span?.setAttributes({
        'http.request.method': 'GET',
        'url.template': '/users/{username}/limits',
        'server.address': hostname,
        'server.port': Number(port || 80),
      });
      let response: Response;
      try {
        response = await fetch(url, { headers, signal: AbortSignal.timeout(options.timeoutMs ?? 5000) });
      } catch (error) {
        throw new UserServiceError(`user-service at ${base} did not answer: ${(error as Error).message}`);
      }
      span?.setAttribute('http.response.status_code', response.status);
      if (response.status === 404) return undefined;
      if (!response.ok) throw new UserServiceError(`user-service answered ${response.status}`);
      const body = (await response.json()) as { limits?: { reservations?: unknown } };
      const limit = body.limits?.reservations;
      if (typeof limit !== 'number')
        throw new UserServiceError('user-service answered without limits.reservations');
      return limit;
    },
    { kind: SpanKind.CLIENT },
  );
}
