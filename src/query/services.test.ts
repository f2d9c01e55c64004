import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../test/support/example-system-fixture.js';
import { EXAMPLE_FACTS, HOSTILE_TEXTS, openExampleStore } from '../../test/support/example-system-fixture.js';
import { InvalidQueryError } from './invalid-query-error.js';
import { listOperations, listServices, listSpanNames } from './services.js';

describe('services, span names and operations', () => {
  let example: ExampleStore;
  beforeAll(async () => {
    example = await openExampleStore('tenant-a', 'hostile');
  });
  afterAll(() => example?.close());
  const range = () => example.system.range;

  it('lists the services of the range, sorted, and not the one an hour earlier', async () => {
    expect(await listServices(example.store, 'tenant-a', range())).toEqual(EXAMPLE_FACTS.services);
    const hourEarlier = { start: range().start - 3700, end: range().start - 1 };
    expect(await listServices(example.store, 'tenant-a', hourEarlier)).toEqual(['legacy-service']);
  });

  it('lists span names of one service or of all', async () => {
    const names = (service?: string) =>
      [
        ...new Set(EXAMPLE_FACTS.operations.filter((o) => !service || o[0] === service).map((o) => o[1])),
      ].sort();
    expect(await listSpanNames(example.store, 'tenant-a', range())).toEqual(names());
    expect(await listSpanNames(example.store, 'tenant-a', range(), { service: 'user-service' })).toEqual(
      names('user-service'),
    );
    expect(await listSpanNames(example.store, 'tenant-a', range(), { service: 'no-such-service' })).toEqual(
      [],
    );
  });

  it("lists operations with their kinds, as Jaeger's /api/operations needs", async () => {
    expect(
      await listOperations(example.store, 'tenant-a', range(), { service: 'notification-service' }),
    ).toEqual([
      { name: 'process_reservation', spanKind: 'consumer' },
      { name: 'send_email', spanKind: 'internal' },
    ]);
    expect(
      await listOperations(example.store, 'tenant-a', range(), {
        service: 'reservations-service',
        spanKind: 'client',
      }),
    ).toEqual(
      ['fetch_limit', 'fetch_reservations_count', 'make_reservation'].map((name) => ({
        name,
        spanKind: 'client',
      })),
    );
    expect(await listOperations(example.store, 'tenant-a', range())).toHaveLength(
      EXAMPLE_FACTS.operations.length,
    );
  });

  it("keeps tenants apart: another tenant sees none of tenant A's spans", async () => {
    expect(await listServices(example.store, 'tenant-b', range())).toEqual([]);
    expect(await listOperations(example.store, 'tenant-b', range())).toEqual([]);
  });

  it('binds hostile service and span names as themselves', async () => {
    expect(await listServices(example.store, 'hostile', range())).toEqual([...HOSTILE_TEXTS].sort(byBytes));
    for (const text of HOSTILE_TEXTS)
      expect(await listSpanNames(example.store, 'hostile', range(), { service: text })).toEqual([text]);
  });

  it('refuses a range that is not one', async () => {
    for (const bad of [
      { start: 10, end: 9 },
      { start: -1, end: 9 },
      { start: 1.5, end: 9 },
      { start: Number.NaN, end: 9 },
    ])
      await expect(listServices(example.store, 'tenant-a', bad)).rejects.toBeInstanceOf(InvalidQueryError);
  });
});

/** ClickHouse sorts strings by their bytes. */
function byBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
