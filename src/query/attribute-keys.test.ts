import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExampleStore } from '../../test/support/example-system-fixture.js';
import { EXAMPLE_FACTS, HOSTILE_TEXTS, openExampleStore } from '../../test/support/example-system-fixture.js';
import { attributeKeys } from './attribute-keys.js';
import { INTRINSIC_TAGS } from './intrinsic-tags.js';

describe('attribute keys per scope', () => {
  let example: ExampleStore;
  beforeAll(async () => {
    example = await openExampleStore('tenant-a', 'hostile');
  });
  afterAll(() => example?.close());
  const range = () => example.system.range;

  it('lists every scope of the range, sorted, intrinsics last; nothing from outside the range', async () => {
    const result = await attributeKeys(example.store, 'tenant-a', { range: range() });
    const { keys } = EXAMPLE_FACTS;
    expect(result).toEqual({
      scopes: [
        { scope: 'resource', keys: keys.resource },
        { scope: 'span', keys: keys.span },
        { scope: 'event', keys: keys.event },
        { scope: 'link', keys: keys.link },
        { scope: 'instrumentation', keys: keys.instrumentation },
        { scope: 'intrinsic', keys: INTRINSIC_TAGS },
      ],
      sampledEvery: 1,
    });
    expect(INTRINSIC_TAGS).toEqual(expect.arrayContaining(['name', 'status', 'kind', 'span:id', 'trace:id']));
  });

  it('answers the scopes asked for, in that order, at most `limit` keys each', async () => {
    const result = await attributeKeys(example.store, 'tenant-a', {
      range: range(),
      scopes: ['link', 'span'],
      limit: 2,
    });
    expect(result.scopes).toEqual([
      { scope: 'link', keys: ['link.kind', 'link.weight'] },
      { scope: 'span', keys: ['audit.action', 'cache.hit'] },
    ]);
  });

  it('narrows to the spans a filter condition keeps', async () => {
    const result = await attributeKeys(example.store, 'tenant-a', {
      range: range(),
      scopes: ['span', 'event'],
      filter: { sql: 'SpanName = {name:String}', params: { name: 'make_reservation' } },
    });
    expect(result.scopes).toEqual([
      { scope: 'span', keys: ['db.operation', 'db.system', 'reservation.price'] },
      { scope: 'event', keys: ['exception.escaped', 'exception.type', 'retry.attempt'] },
    ]);
  });

  it('keeps tenants apart and returns hostile keys as themselves', async () => {
    const other = await attributeKeys(example.store, 'tenant-b', {
      range: range(),
      scopes: ['span', 'resource'],
    });
    expect(other.scopes.map((s) => s.keys)).toEqual([[], []]);
    const hostile = await attributeKeys(example.store, 'hostile', {
      range: range(),
      scopes: ['span', 'event'],
    });
    for (const scope of hostile.scopes) expect([...scope.keys].sort()).toEqual([...HOSTILE_TEXTS].sort());
  });
});
