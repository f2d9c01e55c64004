import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningProcess } from './demo/example-process.js';
import { SUCCESS } from './reservations-service/reservations-service-app.js';
import { ensureBuilt } from './test-support/ensure-built.js';
import { reserve, startTsService } from './test-support/example-services.js';

/*
 * The tutorial's first step: no collector, each service prints its spans with the SDK's
 * ConsoleSpanExporter. The two processes' output must show one trace: the same trace id on both
 * sides, and the user-service's handler under the reservations-service's fetch_limit span.
 */
const processes: RunningProcess[] = [];

beforeAll(() => ensureBuilt(), 240_000);
afterAll(async () => {
  for (const p of processes) await p.stop();
});

interface PrintedSpan {
  name: string;
  traceId: string;
  id: string;
  parentId: string;
}

/** The spans ConsoleSpanExporter printed (`console.dir` of one object per span, `{` … `}` at column 0). */
function printedSpans(output: string): PrintedSpan[] {
  const blocks = output.split(/^\{$/m).slice(1);
  return blocks.map((block) => {
    const field = (re: RegExp): string => re.exec(block)?.[1] ?? '';
    return {
      name: field(/^ {2}name: '([^']+)'/m),
      traceId: field(/^ {2}traceId: '([0-9a-f]{32})'/m),
      id: field(/^ {2}id: '([0-9a-f]{16})'/m),
      parentId: field(/^ {2}parentSpanContext: \{[^}]*?spanId: '([0-9a-f]{16})'/m),
    };
  });
}

describe('console exporter mode', () => {
  it('prints spans in both services whose trace ids match, parent to child across the call', async () => {
    const env = { OTEL_TRACES_EXPORTER: 'console' };
    const users = await startTsService('user-service', env);
    processes.push(users);
    const reservations = await startTsService('reservations-service', {
      ...env,
      USER_SERVICE_URL: users.ready,
    });
    processes.push(reservations);
    expect(reservations.output()).toContain('(spans: console)');

    const { text, traceId } = await reserve(reservations.ready, 'judy', 'item-3');
    expect(text).toBe(SUCCESS);
    // Stopping flushes the batch processor: everything is printed once the processes are gone.
    await reservations.stop();
    await users.stop();

    const fromReservations = printedSpans(reservations.output());
    const fromUsers = printedSpans(users.output());
    expect(fromReservations.map((s) => s.name).sort()).toEqual([
      'fetch_limit',
      'fetch_reservations_count',
      'make_reservation',
      'parse_request',
      'reservations_handler',
    ]);
    expect(fromUsers.map((s) => s.name).sort()).toEqual([
      'fetch_record',
      'reservation_limits_handler',
      'validate_username',
    ]);
    for (const span of [...fromReservations, ...fromUsers]) expect(span.traceId, span.name).toBe(traceId);
    const fetchLimit = fromReservations.find((s) => s.name === 'fetch_limit')!;
    expect(fromUsers.find((s) => s.name === 'reservation_limits_handler')!.parentId).toBe(fetchLimit.id);
  });
});
