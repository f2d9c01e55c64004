import type { Server } from 'node:http';
import type { Express } from 'express';
import type { Tracing } from '../tracing/setup-tracing.js';
import { onStop } from './on-stop.js';

export interface ServiceSettings {
  name: string;
  /** `HOST`, default `0.0.0.0` (a container's port must be reachable from outside it). */
  host: string;
  /** `PORT`; 0 picks a free port, printed in the start-up line. */
  port: number;
}

/** `HOST`/`PORT` with the service's default port; throws naming the variable on a bad value. */
export function serviceSettingsFromEnv(
  name: string,
  defaultPort: number,
  env: NodeJS.ProcessEnv,
): ServiceSettings {
  const rawPort = env.PORT?.trim() || String(defaultPort);
  const port = Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT="${rawPort}": expected a port number (0-65535)`);
  return { name, host: env.HOST?.trim() || '0.0.0.0', port };
}

/**
 * Serves `app`, prints one start-up line (`<name> listening on http://host:port`, which the demo
 * command and the tests wait for), and on SIGINT/SIGTERM stops taking connections, lets requests
 * under way finish, exports the spans still queued, and exits 0.
 */
export async function runService(app: Express, settings: ServiceSettings, tracing: Tracing): Promise<void> {
  const server: Server = app.listen(settings.port, settings.host);
  await new Promise<void>((resolve) => {
    server.once('listening', resolve);
    server.once('error', (error: NodeJS.ErrnoException) => {
      // One line for an expected failure (port taken): the demo command shows it as is.
      console.error(
        `${settings.name}: cannot listen on ${settings.host}:${settings.port}: ${error.code ?? error.message}`,
      );
      process.exit(1);
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : settings.port;
  const exporterText = tracing.exporter.url
    ? `${tracing.exporter.kind} ${tracing.exporter.url}`
    : tracing.exporter.kind;
  console.log(`${settings.name} listening on http://${settings.host}:${port} (spans: ${exporterText})`);

  onStop(() => {
    // Keep-alive connections would hold close() open until they time out.
    server.closeIdleConnections();
    server.close(() => {
      tracing.shutdown().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(`${settings.name}: flushing spans failed: ${String(error)}`);
          process.exit(1);
        },
      );
    });
  });
}
