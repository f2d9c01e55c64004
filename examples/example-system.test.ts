import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProcess } from './demo/example-process.js';
import { LIMIT_EXCEEDED, LIMIT_NOT_FOUND, SUCCESS } from './reservations-service/reservations-service-app.js';
import { ensureBuilt } from './test-support/ensure-built.js';
import { reserve, startTsService } from './test-support/example-services.js';
import type { TracehouseWithStore } from './test-support/tracehouse-with-store.js';
import { startTracehouseWithStore } from './test-support/tracehouse-with-store.js';
import { KIND, onlySpan, waitForTrace } from './test-support/trace-tree.js';

/*
 * The example system end to end: Tracehouse (in this process, embedded store) and the two
 * services as separate processes exporting OTLP/HTTP to it. Every assertion is made on what
 * Tracehouse's trace-by-id API returns, with trace ids from the reservations-service's
 * X-Trace-Id header.
 */
let tracehouse: TracehouseWithStore;
const processes: RunningProcess[] = [];
let reservationsUrl: string;

const otlpEnv = (): NodeJS.ProcessEnv => ({
  OTEL_TRACES_EXPORTER: 'otlp',
  OTEL_EXPORTER_OTLP_ENDPOINT: tracehouse.otlpHttpBase,
  DEPLOYMENT_ENVIRONMENT: 'e2e',
});

beforeAll(async () => {
  ensureBuilt();
  tracehouse = await startTracehouseWithStore();
  const users = await startTsService('user-service', otlpEnv());
  processes.push(users);
  const reservations = await startTsService('reservations-service', {
    ...otlpEnv(),
    USER_SERVICE_URL: users.ready,
  });
  processes.push(reservations);
  reservationsUrl = reservations.ready;
}, 240_000);

afterAll(async () => {
  for (const p of processes.reverse()) await p.stop();
  await tracehouse?.stop();
});

const ALL_STEPS = [
  'reservations_handler',
  'parse_request',
  'fetch_limit',
  'reservation_limits_handler',
  'validate_username',
  'fetch_record',
  'fetch_reservations_count',
  'make_reservation',
];
const sha = (text: string): string =>
  `sha256:${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;

describe('the example system through Tracehouse', () => {
  it('stores every reservation as one trace across both services, linked by the propagated context', async () => {
    // "bob" may hold three reservations (his name's length): the fourth is refused.
    const plan: [string, string][] = [
      ['alice', SUCCESS],
      ['bob', SUCCESS],
      ['bob', SUCCESS],
      ['bob', SUCCESS],
      ['bob', LIMIT_EXCEEDED],
      ['ghost', LIMIT_NOT_FOUND],
      ['r2d2', LIMIT_NOT_FOUND],
    ];
    const answers = [];
    for (const [i, [username]] of plan.entries())
      answers.push(
        await reserve(reservationsUrl, username, `item-${i}`, { authorization: 'Bearer e2e-secret' }),
      );
    expect(answers.map((a) => a.text)).toEqual(plan.map(([, text]) => text));
    expect(new Set(answers.map((a) => a.traceId)).size).toBe(plan.length);

    for (const [i, { traceId, text }] of answers.entries()) {
      const expected =
        text === SUCCESS
          ? ALL_STEPS
          : text === LIMIT_EXCEEDED
            ? ALL_STEPS.filter((s) => s !== 'make_reservation')
            : plan[i][0] === 'ghost'
              ? [
                  'reservations_handler',
                  'parse_request',
                  'fetch_limit',
                  'reservation_limits_handler',
                  'validate_username',
                  'fetch_record',
                ]
              : [
                  'reservations_handler',
                  'parse_request',
                  'fetch_limit',
                  'reservation_limits_handler',
                  'validate_username',
                ];
      const spans = await waitForTrace(tracehouse.getTrace, traceId, expected);
      expect(spans.map((s) => s.name).sort(), `trace ${i}`).toEqual([...expected].sort());
      expect(new Set(spans.map((s) => s.service))).toEqual(new Set(['reservations-service', 'user-service']));

      const handler = onlySpan(spans, 'reservations_handler');
      const fetchLimit = onlySpan(spans, 'fetch_limit');
      const limits = onlySpan(spans, 'reservation_limits_handler');
      expect(handler).toMatchObject({ parentSpanId: '', kind: KIND.SERVER, service: 'reservations-service' });
      expect(fetchLimit).toMatchObject({ parentSpanId: handler.spanId, kind: KIND.CLIENT });
      // The point of the exercise: the user-service's span hangs under the caller's CLIENT span.
      expect(limits).toMatchObject({
        parentSpanId: fetchLimit.spanId,
        kind: KIND.SERVER,
        service: 'user-service',
      });
      for (const step of spans.filter((s) => s.service === 'user-service' && s !== limits))
        expect(step.parentSpanId).toBe(limits.spanId);

      // Processors: metadata added, user name hashed, the captured Authorization header gone.
      expect(handler.attributes['app.username']).toBe(sha(plan[i][0]));
      expect(limits.attributes['app.username']).toBe(sha(plan[i][0]));
      expect(handler.attributes).not.toHaveProperty('http.request.header.authorization');
      expect(handler.attributes['deployment.environment']).toBe('e2e');
      expect(limits.attributes['service.version']).toBe('1.0.0');
      expect(JSON.stringify(spans)).not.toContain('e2e-secret');
    }
  });

  it('drops a trace in both services when the caller samples it out (the sampled flag travels too)', async () => {
    const users = processes[0];
    const unsampled = await startTsService('reservations-service', {
      ...otlpEnv(),
      USER_SERVICE_URL: users.ready,
      OTEL_TRACES_SAMPLER: 'always_off',
    });
    processes.push(unsampled);
    const dropped = await reserve(unsampled.ready, 'heidi', 'item-1');
    expect(dropped.text).toBe(SUCCESS);
    // A sampled request after it, through the same user-service: once it is stored, the
    // unsampled one would have been too.
    const kept = await reserve(reservationsUrl, 'ivan', 'item-1');
    await waitForTrace(tracehouse.getTrace, kept.traceId, ALL_STEPS);
    await unsampled.stop();
    expect(await tracehouse.getTrace(dropped.traceId)).toBeUndefined();
  });

  it('shows the call in the service graph: reservations-service → user-service (Jaeger dependencies API)', async () => {
    // Runs after the tests above: at least their eight stored traces each hold one such call.
    const response = await fetch(
      `${tracehouse.apiBase}/jaeger/api/dependencies?endTs=${Date.now() + 60_000}&lookback=3600000`,
    );
    expect(response.status).toBe(200);
    const { data } = (await response.json()) as {
      data: { parent: string; child: string; callCount: number }[];
    };
    const call = data.find((link) => link.parent === 'reservations-service' && link.child === 'user-service');
    expect(call?.callCount).toBeGreaterThanOrEqual(8);
    expect(data.filter((link) => link.parent === 'user-service')).toEqual([]);
  });
});
