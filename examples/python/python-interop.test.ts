import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProcess } from '../demo/example-process.js';
import { SERVICE_READY, startProcess } from '../demo/example-process.js';
import { SUCCESS } from '../reservations-service/reservations-service-app.js';
import { ensureBuilt } from '../test-support/ensure-built.js';
import { reserve, startTsService } from '../test-support/example-services.js';
import { ensurePythonEnv, PYTHON_DIR } from '../test-support/python-env.js';
import type { TracehouseWithStore } from '../test-support/tracehouse-with-store.js';
import { startTracehouseWithStore } from '../test-support/tracehouse-with-store.js';
import { KIND, onlySpan, waitForTrace } from '../test-support/trace-tree.js';

/*
 * W3C Trace Context across languages: the classic tutorial's Python pair (Flask, the Python
 * OpenTelemetry SDK, manual inject/extract) calling and called by the TypeScript pair, all
 * exporting to one Tracehouse. Set-up installs the Python requirements from PyPI into a cached
 * venv; if that fails the test fails with pip's message.
 */
let tracehouse: TracehouseWithStore;
let python: string;
const processes: RunningProcess[] = [];

beforeAll(async () => {
  ensureBuilt();
  python = ensurePythonEnv();
  tracehouse = await startTracehouseWithStore();
}, 600_000);

afterAll(async () => {
  for (const p of processes.reverse()) await p.stop();
  await tracehouse?.stop();
});

const otlpEnv = (): NodeJS.ProcessEnv => ({
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_ENDPOINT: tracehouse.otlpHttpBase,
});

async function startPythonService(script: string, env: NodeJS.ProcessEnv): Promise<RunningProcess> {
  const running = await startProcess({
    name: script,
    command: python,
    args: [join(PYTHON_DIR, script)],
    env: {
      PATH: process.env.PATH,
      PYTHONUNBUFFERED: '1',
      PYTHONDONTWRITEBYTECODE: '1',
      HOST: '127.0.0.1',
      PORT: '0',
      EXAMPLE_MAX_SLEEP_MS: '0',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      ...otlpEnv(),
      ...env,
    },
    readyLine: SERVICE_READY,
  });
  processes.push(running);
  return running;
}

const STEPS = [
  'reservations_handler',
  'parse_request',
  'fetch_limit',
  'reservation_limits_handler',
  'validate_username',
  'fetch_record',
  'fetch_reservations_count',
  'make_reservation',
];

/** One reservation through `reservationsUrl`; its trace must arrive whole, spanning both services. */
async function expectOneTrace(
  reservationsUrl: string,
  services: [caller: string, callee: string],
): Promise<void> {
  const { text, traceId } = await reserve(reservationsUrl, 'alice', 'item-1');
  expect(text).toBe(SUCCESS);
  const spans = await waitForTrace(tracehouse.getTrace, traceId, STEPS);
  expect(spans.map((s) => s.name).sort()).toEqual([...STEPS].sort());
  const fetchLimit = onlySpan(spans, 'fetch_limit');
  const limits = onlySpan(spans, 'reservation_limits_handler');
  expect(fetchLimit).toMatchObject({ service: services[0], kind: KIND.CLIENT });
  expect(limits).toMatchObject({ service: services[1], kind: KIND.SERVER, parentSpanId: fetchLimit.spanId });
  expect(onlySpan(spans, 'reservations_handler').parentSpanId).toBe('');
  expect(onlySpan(spans, 'fetch_record').parentSpanId).toBe(limits.spanId);
}

describe('the Python pair interoperates with the TypeScript pair', () => {
  it('TypeScript reservations-service → Python user-service: one whole trace', async () => {
    const users = await startPythonService('user_service.py', { OTEL_SERVICE_NAME: 'python-user-service' });
    const reservations = await startTsService('reservations-service', {
      ...otlpEnv(),
      USER_SERVICE_URL: users.ready,
    });
    processes.push(reservations);
    await expectOneTrace(reservations.ready, ['reservations-service', 'python-user-service']);
  });

  it('Python reservations-service → TypeScript user-service: one whole trace', async () => {
    const users = await startTsService('user-service', otlpEnv());
    processes.push(users);
    const reservations = await startPythonService('reservations_service.py', {
      OTEL_SERVICE_NAME: 'python-reservations-service',
      USER_SERVICE_URL: users.ready,
    });
    await expectOneTrace(reservations.ready, ['python-reservations-service', 'user-service']);
  });
});
