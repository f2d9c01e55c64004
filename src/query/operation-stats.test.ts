import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../test/support/example-system-fixture.js';
import { EXAMPLE_FACTS, HOSTILE_TEXTS, openExampleStore } from '../../test/support/example-system-fixture.js';
import { operationStats } from './operation-stats.js';
import { listOperations } from './services.js';
import { tagValues } from './tag-values.js';

describe('per-operation RED figures', () => {
  let example: ExampleStore;
  beforeAll(async () => {
    example = await openExampleStore('tenant-a', 'hostile');
  });
  afterAll(() => example?.close());
  const range = () => example.system.range;

  it('counts spans and errors per (service, span name, kind), rate over the whole range', async () => {
    const stats = await operationStats(example.store, 'tenant-a', range());
    const expected = EXAMPLE_FACTS.operations
      .map(([service, spanName, spanKind, count, errorCount]) => ({
        service,
        spanName,
        spanKind,
        count,
        errorCount,
        rate: count / 121,
        errorRatio: errorCount / count,
      }))
      .sort((a, b) => (a.service + ' ' + a.spanName).localeCompare(b.service + ' ' + b.spanName));
    expect(stats.map(({ durationNanos: _, ...rest }) => rest)).toEqual(expected);
  });

  it('estimates duration quantiles within the durations, in order', async () => {
    const [handler] = await operationStats(example.store, 'tenant-a', range(), {
      service: 'user-service',
      spanName: 'reservation_limits_handler',
    });
    // 4, 8, … 40 ms.
    const { p50, p90, p99 } = handler.durationNanos;
    expect(4e6).toBeLessThanOrEqual(p50);
    expect(p50).toBeLessThanOrEqual(p90);
    expect(p90).toBeLessThanOrEqual(p99);
    expect(p99).toBeLessThanOrEqual(40e6);
    expect(p50 / 1e6).toBeGreaterThanOrEqual(16);
    expect(p50 / 1e6).toBeLessThanOrEqual(28);
    expect(p99 / 1e6).toBeGreaterThanOrEqual(36 * 0.996);
  });

  it('narrows by service, kind and a filter condition', async () => {
    const clients = await operationStats(example.store, 'tenant-a', range(), {
      service: 'reservations-service',
      spanKind: 'client',
      filter: { sql: '{errorStatus:String} = StatusCode', params: { errorStatus: 'Error' } },
    });
    expect(clients.map((s) => [s.spanName, s.count, s.errorCount, s.errorRatio])).toEqual([
      ['fetch_limit', 2, 2, 1],
      ['make_reservation', 1, 1, 1],
    ]);
  });

  it('keeps tenants apart and binds hostile names as themselves', async () => {
    expect(await operationStats(example.store, 'tenant-b', range())).toEqual([]);
    for (const text of HOSTILE_TEXTS) {
      const stats = await operationStats(example.store, 'hostile', range(), {
        service: text,
        spanName: text,
      });
      expect(stats.map((s) => [s.service, s.spanName, s.spanKind, s.count])).toEqual([
        [text, text, 'server', 1],
      ]);
    }
  });

  it('reads the enum spellings of exporters before pdata 1.0 as the same kind and status', async () => {
    const { store } = example;
    const database = await store.database('legacy');
    await store.driver.exec(
      `INSERT INTO \`${database}\`.otel_traces (Timestamp, TraceId, SpanId, ServiceName, SpanName, SpanKind, StatusCode)
       SELECT toDateTime64({at:Int64}, 9), 'a', 'b', 'old', 'get', kind, status
       FROM (SELECT arrayJoin([('SPAN_KIND_SERVER', 'STATUS_CODE_ERROR'), ('Server', 'Unset')]) AS pair)
       ARRAY JOIN [pair.1] AS kind, [pair.2] AS status`,
      { at: range().start },
    );
    const [stats] = await operationStats(store, 'legacy', range());
    expect([stats.spanKind, stats.count, stats.errorCount]).toEqual(['server', 2, 1]);
    expect(await listOperations(store, 'legacy', range(), { spanKind: 'server' })).toEqual([
      { name: 'get', spanKind: 'server' },
    ]);
    const status = await tagValues(store, 'legacy', { range: range(), scope: 'intrinsic', key: 'status' });
    expect(status.values.map((v) => v.value)).toEqual(['error', 'unset', 'ok']);
  });
});
