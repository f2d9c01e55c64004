import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../test/support/example-system-fixture.js';
import { HOSTILE_TEXTS, openExampleStore } from '../../test/support/example-system-fixture.js';
import { InvalidQueryError } from './invalid-query-error.js';
import type { TagValue, TagValuesRequest } from './tag-values.js';
import { tagValues } from './tag-values.js';

const strings = (...values: string[]): TagValue[] => values.map((value) => ({ type: 'string', value }));
const typed = (type: TagValue['type'], ...values: string[]): TagValue[] =>
  values.map((value) => ({ type, value }));

describe('tag values', () => {
  let example: ExampleStore;
  beforeAll(async () => {
    example = await openExampleStore('tenant-a', 'hostile');
  });
  afterAll(() => example?.close());
  const values = async (request: Omit<TagValuesRequest, 'range'>, tenant = 'tenant-a') =>
    (await tagValues(example.store, tenant, { range: example.system.range, ...request })).values;

  it('orders values by frequency, then by value, with the type each was sent with', async () => {
    expect(await values({ scope: 'span', key: 'http.response.status_code' })).toEqual(
      typed('int', '200', '201', '404', '500', '504'),
    );
    expect(await values({ scope: 'span', key: 'user.name' })).toEqual(
      strings('alice', 'bob', 'carol', 'dave'),
    );
    expect(await values({ scope: 'span', key: 'cache.hit' })).toEqual(typed('bool', 'false', 'true'));
    expect(await values({ scope: 'span', key: 'reservation.price', limit: 3 })).toEqual(
      typed('float', '10', '12.5', '15'),
    );
    expect(await values({ scope: 'resource', key: 'process.pid' })).toEqual(
      typed('int', '101', '102', '103', '104'),
    );
    expect(await values({ scope: 'instrumentation', key: 'scope.team' })).toEqual(strings('bookings'));
  });

  it('reads event and link attributes item by item', async () => {
    expect(await values({ scope: 'event', key: 'exception.type' })).toEqual(
      strings('HttpError', 'LimitReachedError', 'DeadlockError', 'MailboxFullError', 'UserNotFoundError'),
    );
    expect(await values({ scope: 'event', key: 'exception.escaped' })).toEqual(typed('bool', 'true'));
    expect(await values({ scope: 'event', key: 'retry.attempt' })).toEqual(typed('int', '1'));
    expect(await values({ scope: 'link', key: 'link.weight' })).toEqual(typed('int', '1'));
    expect(await values({ scope: 'link', key: 'link.kind' })).toEqual(strings('producer'));
  });

  it('answers service.name from the ServiceName column, and unscoped keys from span and resource', async () => {
    const services = strings('reservations-service', 'user-service', 'notification-service', 'audit-service');
    expect(await values({ scope: 'resource', key: 'service.name' })).toEqual(services);
    expect(await values({ scope: 'none', key: 'service.name' })).toEqual(services);
    expect(await values({ scope: 'none', key: 'http.route' })).toEqual(
      strings('/reservations', '/users/:username/limits'),
    );
    expect(await values({ scope: 'span', key: 'service.name' })).toEqual([]);
  });

  it('lists intrinsics: status and kind as whole keyword lists, seen ones first', async () => {
    expect(await values({ scope: 'intrinsic', key: 'status' })).toEqual(
      typed('keyword', 'unset', 'error', 'ok'),
    );
    expect(await values({ scope: 'intrinsic', key: 'span:kind' })).toEqual(
      typed('keyword', 'client', 'internal', 'server', 'consumer', 'producer', 'unspecified'),
    );
    expect(await values({ scope: 'intrinsic', key: 'rootName' })).toEqual(strings('reservations_handler'));
    expect(await values({ scope: 'intrinsic', key: 'trace:rootService' })).toEqual(
      strings('reservations-service'),
    );
    expect(await values({ scope: 'intrinsic', key: 'event:name' })).toEqual(strings('exception', 'db.retry'));
    expect(await values({ scope: 'intrinsic', key: 'name', limit: 2 })).toEqual(
      strings('fetch_limit', 'fetch_record'),
    );
    expect(await values({ scope: 'intrinsic', key: 'statusMessage', limit: 2 })).toEqual(
      strings('fetch_limit failed', 'reservations_handler failed'),
    );
    expect(await values({ scope: 'intrinsic', key: 'instrumentation:name', limit: 1 })).toEqual(
      strings('@opentelemetry/instrumentation-http'),
    );
    expect(await values({ scope: 'intrinsic', key: 'duration' })).toEqual([]);
    await expect(values({ scope: 'intrinsic', key: 'no.such' })).rejects.toBeInstanceOf(InvalidQueryError);
  });

  it('applies a filter condition from the TraceQL compiler, with its own parameters', async () => {
    const filter = { sql: 'ServiceName = {svc:String}', params: { svc: 'user-service' } };
    expect(await values({ scope: 'span', key: 'http.response.status_code', filter })).toEqual(
      typed('int', '200', '404'),
    );
    expect(await values({ scope: 'intrinsic', key: 'status', filter })).toEqual(
      typed('keyword', 'unset', 'error', 'ok'),
    );
    const clash = { sql: 'Duration > {rangeStart:UInt64}', params: { rangeStart: 1 } };
    await expect(values({ scope: 'span', key: 'user.name', filter: clash })).rejects.toBeInstanceOf(
      InvalidQueryError,
    );
  });

  it('keeps tenants apart and binds hostile keys and values as themselves', async () => {
    expect(await values({ scope: 'span', key: 'user.name' }, 'tenant-b')).toEqual([]);
    for (const text of HOSTILE_TEXTS) {
      for (const scope of ['span', 'resource', 'event'] as const)
        expect(await values({ scope, key: text }, 'hostile')).toEqual(strings(text));
      expect(await values({ scope: 'span', key: text }, 'tenant-a')).toEqual([]);
    }
    const names = await values({ scope: 'intrinsic', key: 'name' }, 'hostile');
    expect(names.map((v) => v.value).sort()).toEqual([...HOSTILE_TEXTS].sort());
  });

  it('samples granules past the scan bound and says so', async () => {
    const result = await tagValues(example.store, 'tenant-a', {
      range: example.system.range,
      scope: 'span',
      key: 'user.name',
      maxScanRows: 10,
    });
    // 92 rows in one granule: the estimate asks for one granule in ten, and granule 0 is always read.
    expect(result.sampledEvery).toBeGreaterThan(1);
    expect(result.values).toEqual(strings('alice', 'bob', 'carol', 'dave'));
  });
});
