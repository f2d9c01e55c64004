import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { duplicateKeysBatch } from '../../../test/support/duplicate-keys-batch.js';
import { NOW_NANOS } from '../../../test/support/every-kind-batch.js';
import type { FixtureStore } from '../../../test/support/fixture-store.js';
import { openFixtureStore } from '../../../test/support/fixture-store.js';
import { parseTraceQL } from '../../traceql/parser.js';
import type { SearchResponse } from './search-traces.js';
import { searchTraces } from './search-traces.js';

/*
 * TraceQL over attribute lists that repeat a key (OTLP says keys SHOULD be unique; the Collector
 * and Tempo keep such lists). A condition reads a key's first attribute, as ClickHouse's `map[key]`
 * does, with that attribute's own type.
 */
const TENANT = 'duplicate-keys';
const TRACE_ID = 'd5'.repeat(16);
const range = { startNanos: NOW_NANOS - 60_000_000_000n, endNanos: NOW_NANOS + 60_000_000_000n };
let fixture: FixtureStore;

beforeAll(async () => {
  fixture = await openFixtureStore({ [TENANT]: duplicateKeysBatch(TRACE_ID) });
});

afterAll(async () => {
  await fixture?.close();
});

function search(q: string): Promise<SearchResponse> {
  return searchTraces(fixture.store, TENANT, {
    query: parseTraceQL(q),
    range,
    limit: 20,
    spansPerSpanset: 3,
    timeoutMs: 30_000,
  });
}

async function ids(q: string): Promise<string[]> {
  return (await search(q)).traces.map((t) => t.traceId);
}

describe('TraceQL on a repeated key', () => {
  it.each([
    '{ span.dup = 1 }',
    '{ span.n = "7" }',
    '{ span.same = 1 }',
    '{ span.bin != nil }',
    '{ resource.dup = 1 }',
    '{ instrumentation.flag = "true" }',
    '{ event.e = 5 }',
    '{ link.w = 0.5 }',
    '{ .dup = 1 && .flag = nil }',
  ])('finds the trace by the first attribute of the key, with its own type: %s', async (q) => {
    expect(await ids(q)).toEqual([TRACE_ID]);
  });

  it.each([
    '{ span.dup = "two" }',
    '{ span.n > 7 }',
    '{ span.n = 7 }',
    '{ span.arr =~ "a.*" }',
    '{ event.e = "five" }',
    '{ link.w = "0.5" }',
    '{ } | avg(span.n) > 0',
    '{ } | max(span.dup) > 0',
    '{ } | by(span.n)',
  ])('answers without failing: %s', async (q) => {
    await expect(search(q)).resolves.toBeDefined();
  });

  it('shows the first attribute of a selected key, with its own type', async () => {
    const { traces } = await search('{ span.dup = 1 } | select(span.n, span.bin)');
    expect(traces[0].spanSets[0].spans[0].attributes).toEqual([
      { key: 'dup', value: 1n },
      { key: 'n', value: '7' },
      { key: 'bin', value: 'AQI=' },
    ]);
  });
});
