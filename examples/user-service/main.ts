import { maxSleepFromEnv } from '../shared/random-sleep.js';
import { runService, serviceSettingsFromEnv } from '../shared/run-service.js';
import { setupTracing } from '../tracing/setup-tracing.js';
import { UserDirectory, unknownUsersFromEnv } from './user-directory.js';
import { createUserServiceApp, USER_SERVICE_PORT } from './user-service-app.js';

// Tracing first: spans created before the provider is registered would go nowhere.
const tracing = setupTracing({ serviceName: 'user-service' });
const directory = new UserDirectory(unknownUsersFromEnv(process.env), maxSleepFromEnv(process.env));
await runService(
  createUserServiceApp(directory),
  serviceSettingsFromEnv('user-service', USER_SERVICE_PORT, process.env),
  tracing,
);
