import { trace } from '@opentelemetry/api';
import { randomSleep } from '../shared/random-sleep.js';
import { traced } from '../tracing/traced.js';

/**
 * The reservations-service's stand-in for its database: reservations per user, in memory (a
 * restart forgets them, which the example does not mind). Each call is a span of its own, made
 * with the `traced(name, fn)` wrapper; the user-service shows the `@traced` decorator form.
 */
export class ReservationBook {
  private readonly counts = new Map<string, number>();

  constructor(private readonly maxSleepMs: number) {}

  readonly fetchReservationsCount = traced(
    'fetch_reservations_count',
    async (username: string): Promise<number> => {
      await randomSleep(this.maxSleepMs);
      const count = this.counts.get(username) ?? 0;
      trace.getActiveSpan()?.setAttribute('app.reservations.count', count);
      return count;
    },
  );

  readonly makeReservation = traced(
    'make_reservation',
    async (username: string, itemId: string): Promise<void> => {
      await randomSleep(this.maxSleepMs);
      this.counts.set(username, (this.counts.get(username) ?? 0) + 1);
      trace.getActiveSpan()?.setAttribute('app.item_id', itemId);
    },
  );
}
