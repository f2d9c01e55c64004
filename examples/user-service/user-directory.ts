import { trace } from '@opentelemetry/api';
import { randomSleep } from '../shared/random-sleep.js';
import { traced } from '../tracing/traced.js';

export interface UserRecord {
  username: string;
  limits: { reservations: number };
}

/** User names are letters only; anything else is refused before the "database" is asked. */
const USERNAME = /^[A-Za-z]+$/;

/**
 * The user-service's stand-in for a user database: every well-formed name exists, except the
 * configured unknown ones, and may hold as many reservations as its name has letters (the
 * tutorial's rule). Each step is its own span through the `@traced` decorator (a TypeScript 5
 * standard decorator, lowered by tsc; Vitest's transformer cannot lower it, so this service is
 * tested as the built process it runs as).
 */
export class UserDirectory {
  constructor(
    private readonly unknownUsers: ReadonlySet<string>,
    private readonly maxSleepMs: number,
  ) {}

  @traced('validate_username')
  async validateUsername(username: string): Promise<boolean> {
    await randomSleep(this.maxSleepMs);
    const valid = USERNAME.test(username);
    trace.getActiveSpan()?.setAttribute('app.username.valid', valid);
    return valid;
  }

  @traced('fetch_record')
  async fetchRecord(username: string): Promise<UserRecord | undefined> {
    await randomSleep(this.maxSleepMs);
    const found = !this.unknownUsers.has(username.toLowerCase());
    trace.getActiveSpan()?.setAttribute('app.user.found', found);
    return found ? { username, limits: { reservations: username.length } } : undefined;
  }
}

/** `UNKNOWN_USERS` (comma-separated, default `ghost,nobody,unknown`): names the directory lacks. */
export function unknownUsersFromEnv(env: NodeJS.ProcessEnv): ReadonlySet<string> {
  const raw = env.UNKNOWN_USERS ?? 'ghost,nobody,unknown';
  return new Set(
    raw
      .split(',')
      .map((name) => name.trim().toLowerCase())
      .filter((name) => name !== ''),
  );
}
