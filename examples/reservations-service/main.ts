import { maxSleepFromEnv } from '../shared/random-sleep.js';
import { runService, serviceSettingsFromEnv } from '../shared/run-service.js';
import { setupTracing } from '../tracing/setup-tracing.js';
import { ReservationBook } from './reservation-book.js';
import { createReservationsServiceApp, RESERVATIONS_SERVICE_PORT } from './reservations-service-app.js';
import { userLimitsClient } from './user-limits-client.js';

// Tracing first: spans created before the provider is registered would go nowhere.
const tracing = setupTracing({ serviceName: 'reservations-service' });
const maxSleepMs = maxSleepFromEnv(process.env);
const app = createReservationsServiceApp({
  book: new ReservationBook(maxSleepMs),
  // `USER_SERVICE_URL`, default the user-service's default address.
  fetchLimit: userLimitsClient({
    baseUrl: process.env.USER_SERVICE_URL ?? 'http://localhost:8080',
    maxSleepMs,
  }),
  maxSleepMs,
});
await runService(
  app,
  serviceSettingsFromEnv('reservations-service', RESERVATIONS_SERVICE_PORT, process.env),
  tracing,
);
