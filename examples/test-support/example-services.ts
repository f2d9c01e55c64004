import type { RunningProcess } from '../demo/example-process.js';
import { exampleScript, SERVICE_READY, startProcess } from '../demo/example-process.js';

export type ServiceName = 'user-service' | 'reservations-service';

/**
 * Starts a built TypeScript example service as its own process on a free loopback port, with no
 * random sleeps and a short batch delay; `env` adds or overrides (exporter, user-service URL).
 */
export function startTsService(name: ServiceName, env: NodeJS.ProcessEnv): Promise<RunningProcess> {
  return startProcess({
    name,
    command: process.execPath,
    args: [exampleScript(name)],
    env: {
      PATH: process.env.PATH,
      HOST: '127.0.0.1',
      PORT: '0',
      EXAMPLE_MAX_SLEEP_MS: '0',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      ...env,
    },
    readyLine: SERVICE_READY,
  });
}

/** POSTs one reservation; returns the answer and the trace id header. */
export async function reserve(
  reservationsUrl: string,
  username: string,
  itemId: string | number,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; traceId: string }> {
  const response = await fetch(`${reservationsUrl}/reservations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, item_id: itemId }),
  });
  return {
    status: response.status,
    text: await response.text(),
    traceId: response.headers.get('x-trace-id') ?? '',
  };
}
