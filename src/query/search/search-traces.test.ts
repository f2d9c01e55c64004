import type { FixtureStore } from '../../../test/support/fixture-store.js';
import { openFixtureStore } from '../../../test/support/fixture-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOSTILE_VALUES, TRACE, traceqlFixture } from '../../../test/support/traceql-fixture.js';
import { encodeSpanBlocks } from '../../store/rows/span-blocks.js';
import { TraceStore } from '../../store/trace-store.js';
import { parseTraceQL } from '../../traceql/parser.js';
import { ParseError } from '../../traceql/parse-error.js';
import type { SearchResponse } from './search-traces.js';
import { ROOT_NOT_RECEIVED, searchTraces } from './search-traces.js';

const TENANT = 'traceql';
/** The same fixture in a database created with the exporter's `text` skip indexes. */
const TEXT_INDEXES_TENANT = 'traceql-text-indexes';
const baseMs = Date.now() - 10 * 60_000;
const range = {
  startNanos: BigInt(baseMs - 60_000) * 1_000_000n,
  endNanos: BigInt(baseMs + 60_000) * 1_000_000n,
};
let fixture: FixtureStore;
let store: TraceStore;

beforeAll(async () => {
  fixture = await openFixtureStore({ traceql: traceqlFixture(baseMs) });
  store = fixture.store;
  // Two parts, the first merged (merges build the skip indexes): ClickHouse 26.7 failed a search
  // reading text-indexed and unindexed parts together (query_plan_direct_read_from_text_index).
  const textIndexes = new TraceStore(fixture.driver, { retentionSeconds: 0, textIndexes: true });
  const resourceSpans = traceqlFixture(baseMs);
  const half = Math.ceil(resourceSpans.length / 2);
  await textIndexes.insertSpans(TEXT_INDEXES_TENANT, encodeSpanBlocks(resourceSpans.slice(0, half)));
  await fixture.driver.exec(
    `OPTIMIZE TABLE \`${await textIndexes.database(TEXT_INDEXES_TENANT)}\`.otel_traces FINAL`,
  );
  await textIndexes.insertSpans(TEXT_INDEXES_TENANT, encodeSpanBlocks(resourceSpans.slice(half)));
});

afterAll(async () => {
  await fixture?.close();
});

function search(
  q: string,
  options: { limit?: number; spss?: number; tenant?: string } = {},
): Promise<SearchResponse> {
  return searchTraces(store, options.tenant ?? TENANT, {
    query: parseTraceQL(q),
    range,
    limit: options.limit ?? 100,
    spansPerSpanset: options.spss ?? 3,
    timeoutMs: 30_000,
  });
}

async function ids(q: string, tenant = TENANT): Promise<string[]> {
  return (await search(q, { tenant })).traces.map((t) => t.traceId).sort();
}

const quote = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
const { success, limitExceeded, limitNotFound, missingParent, clockSkew, big, messaging, hostile } = TRACE;

/** Query → the traces it must find, over the fixture. Every TraceQL construct the engine runs. */
const CASES: [string, string[]][] = [
  // The issue's own examples.
  ['{ resource.service.name = "user-service" && duration > 100ms }', [success, limitExceeded, limitNotFound]],
  ['{ span.http.status_code >= 500 } | count() > 0', [limitExceeded]],
  ['{ name = "fetch_limit" } >> { status = error }', [limitNotFound]],
  // Typed attribute comparison: an int attribute is not the string "500".
  ['{ span.http.status_code >= 500 }', [limitExceeded]],
  ['{ span.http.status_code = "500" }', []],
  ['{ span.http.status_code >= 400 } | count() > 2', [limitNotFound]],
  ['{ span.item_id = 42 }', [success]],
  ['{ span.price > 9.0 }', [success]],
  ['{ span.price = 9.5 && span.in_stock = true }', [success]],
  ['{ span.in_stock != false }', [success]],
  ['{ span.username = "alice" }', [success]],
  ['{ span.username != "alice" }', [limitExceeded, limitNotFound]],
  ['{ span.username =~ "a.*|b.*" }', [success, limitExceeded]],
  ['{ span.username !~ "a.*" }', [limitExceeded, limitNotFound]],
  ['{ span.db.system != nil }', [success, limitExceeded]],
  ['{ span.db.system = nil && name = "fetch_record" }', [missingParent]],
  // Unscoped attributes: span or resource.
  ['{ .username = "alice" }', [success]],
  ['{ .deployment.environment = "staging" }', [big]],
  ['{ resource.deployment.environment = "staging" && kind = server }', [big]],
  ['{ span.deployment.environment = "staging" }', []],
  // Intrinsics.
  ['{ status = error }', [limitExceeded, limitNotFound, big]],
  ['{ status != unset && name = "reservations_handler" }', [limitExceeded, limitNotFound]],
  ['{ statusMessage = "limit exceeded" }', [limitExceeded]],
  ['{ kind = consumer }', [messaging]],
  ['{ kind = producer || kind = consumer }', [messaging]],
  ['{ name =~ "process.*" && duration >= 350ms }', [big, messaging]],
  ['{ duration > 1.5s }', [big]],
  [
    '{ rootServiceName = "reservations-service" && name = "validate_username" }',
    [success, limitExceeded, limitNotFound],
  ],
  ['{ rootName = "batch_job" && name = "process_item" && duration > 800ms }', [big]],
  ['{ traceDuration > 1s }', [big]],
  [`{ trace:id = "${limitExceeded}" }`, [limitExceeded]],
  ['{ span:id = "a100000000000001" }', [success]],
  ['{ event:name = "exception" }', [limitNotFound]],
  ['{ event.exception.message =~ "unknown.*" }', [limitNotFound]],
  [`{ link:traceID = "${success}" }`, [messaging]],
  ['{ link.link.reason = "follows" }', [messaging]],
  ['{ instrumentation:name = "tracehouse-fixture" && name = "batch_job" }', [big]],
  ['{ span."http.route" = "/reservations" && span.http.status_code = 404 }', [limitNotFound]],
  ['{ !(status = error) && name = "reservations_handler" && kind = server }', [success, clockSkew]],
  ['{ duration * 2 > 1.5s }', [big, limitExceeded]],
  // Spanset operators.
  ['{ name = "reservations_handler" } && { name = "make_reservation" }', [success]],
  ['{ name = "make_reservation" } || { name = "batch_job" }', [success, big]],
  // Structure.
  [
    '{ name = "fetch_limit" } > { name = "reservation_limits_handler" }',
    [success, limitExceeded, limitNotFound],
  ],
  ['{ name = "reservations_handler" } >> { name = "fetch_record" }', [success, limitExceeded]],
  ['{ name = "validate_username" } ~ { name = "fetch_record" }', [success, limitExceeded]],
  [
    '{ name = "reservation_limits_handler" } < { name = "fetch_limit" }',
    [success, limitExceeded, limitNotFound],
  ],
  ['{ name = "fetch_record" } << { name = "reservations_handler" }', [success, limitExceeded]],
  ['{ name = "fetch_limit" } !> { name = "reservation_limits_handler" }', [missingParent, clockSkew]],
  ['{ kind = producer } > { kind = consumer }', [messaging]],
  [
    '{ resource.service.name = "reservations-service" } &> { resource.service.name = "user-service" }',
    [success, limitExceeded, limitNotFound, clockSkew],
  ],
  // Pipelines.
  ['{ name = "process_item" } | count() > 9000', [big]],
  ['{ name = "process_item" } | avg(duration) > 1ms', [big]],
  ['{ name = "process_item" } | max(duration) >= 900ms', [big]],
  ['{ name = "process_item" } | min(duration) < 1ms', []],
  ['{ name = "process_item" } | sum(span.item.index) > 1000', [big]],
  ['{ resource.service.name = "user-service" } | count() > 2', [success, limitExceeded]],
  ['{ resource.service.name = "batch-service" } | by(name) | count() > 1', [big]],
  ['{ status = error } | { name = "reservations_handler" }', [limitExceeded, limitNotFound]],
  ['({ name = "fetch_limit" } | count() = 1) && { name = "make_reservation" }', [success]],
  ['{ } | count() > 9000', [big]],
];

describe('TraceQL search over the fixture (embedded engine)', () => {
  it.each(CASES)('%s', async (query, expected) => {
    expect(await ids(query)).toEqual([...expected].sort());
  });

  it('finds the same traces in a database with text skip indexes', async () => {
    const traceIdIndex = async (tenant: string): Promise<string[]> =>
      (
        await fixture.driver.query<{ type: string }>(
          "SELECT type FROM system.data_skipping_indices WHERE database = {db:String} AND name = 'idx_trace_id'",
          { db: await store.database(tenant) },
        )
      ).map((row) => row.type);
    expect(await traceIdIndex(TENANT)).toEqual(['bloom_filter']);
    expect(await traceIdIndex(TEXT_INDEXES_TENANT)).toEqual(['text']);
    for (const [query, expected] of CASES)
      expect({ query, found: await ids(query, TEXT_INDEXES_TENANT) }).toEqual({
        query,
        found: [...expected].sort(),
      });
  });

  it('binds hostile strings: each matches only itself', async () => {
    for (const [i, value] of HOSTILE_VALUES.entries()) {
      expect(await ids(`{ span."hostile.${i}" = ${quote(value)} }`)).toEqual([hostile]);
      expect(await ids(`{ span."hostile.${i}" = ${quote(value + 'x')} }`)).toEqual([]);
      expect(await ids(`{ name = ${quote(value)} }`)).toEqual(i === 0 ? [hostile] : []);
    }
    expect(await ids(`{ resource.team.name = ${quote(HOSTILE_VALUES[2])} }`)).toEqual([hostile]);
    expect(await ids(`{ span."hostile.0" =~ ${quote('.*OR 1=1.*')} }`)).toEqual([hostile]);
  });

  it("answers in Tempo's terms: root facts, matched spans, attributes the query named", async () => {
    const { traces } = await search(
      '{ resource.service.name = "user-service" && span.http.status_code = 404 }',
    );
    expect(traces).toHaveLength(1);
    const [trace] = traces;
    expect(trace).toMatchObject({
      traceId: limitNotFound,
      rootServiceName: 'reservations-service',
      rootTraceName: 'reservations_handler',
      startNanos: BigInt(baseMs + 2000) * 1_000_000n,
      durationNanos: 400_000_000n,
      spanCount: 5,
      serviceStats: {
        'reservations-service': { spanCount: 3, errorCount: 2 },
        'user-service': { spanCount: 2, errorCount: 1 },
      },
    });
    expect(trace.spanSets).toEqual([
      {
        matched: 1,
        attributes: [],
        spans: [
          {
            spanId: 'a3' + '4'.padStart(14, '0'),
            name: 'reservation_limits_handler',
            startNanos: BigInt(baseMs + 2020) * 1_000_000n,
            durationNanos: 120_000_000n,
            attributes: [
              { key: 'service.name', value: 'user-service' },
              { key: 'http.status_code', value: 404n },
            ],
          },
        ],
      },
    ]);
  });

  it('shows at most spss spans per spanset but counts them all; 0 shows all', async () => {
    const three = await search('{ name = "process_item" }', { spss: 3 });
    expect(three.traces[0].spanSets[0]).toMatchObject({ matched: 9999 });
    expect(three.traces[0].spanSets[0].spans).toHaveLength(3);
    const all = await search('{ name = "process_item" && status = error }', { spss: 0 });
    expect(all.traces[0].spanSets[0].spans).toHaveLength(9);
  });

  it('a trace without its root says so, as Tempo does', async () => {
    const { traces } = await search(
      '{ name = "fetch_record" && resource.service.name = "user-service" && duration < 30ms }',
    );
    expect(traces.map((t) => [t.traceId, t.rootServiceName])).toEqual([[missingParent, ROOT_NOT_RECEIVED]]);
  });

  it('returns the newest traces first and stops at the limit', async () => {
    const { traces } = await search('{ kind = server }', { limit: 3 });
    expect(traces.map((t) => t.traceId)).toEqual([big, clockSkew, missingParent]);
    const starts = traces.map((t) => t.startNanos);
    expect([...starts].sort((a, b) => (a > b ? -1 : 1))).toEqual(starts);
  });

  it('select() adds the named fields to each span', async () => {
    const { traces } = await search(
      '{ name = "make_reservation" } | select(span.price, span.item_id, resource.deployment.environment)',
    );
    expect(traces[0].spanSets[0].spans[0].attributes).toEqual([
      { key: 'price', value: 9.5 },
      { key: 'item_id', value: 42n },
      { key: 'deployment.environment', value: 'prod' },
    ]);
  });

  it('sees nothing of another tenant', async () => {
    expect((await search('{ }', { tenant: 'other' })).traces).toEqual([]);
  });

  it.each([
    ['{ duration = "slow" }', 'cannot compare a duration with a string'],
    ['{ status = "error" }', 'cannot compare a status with a string'],
    ['{ span.foo =~ 5 }', "operator '=~' needs a string"],
    ['{ span.a = true && span.b > false }', "operator '>' does not apply to a boolean"],
    ['{ name }', 'a filter condition must be a boolean'],
    ['{ parent.span.foo = "x" }', 'parent attributes is not supported yet'],
  ])('a query that cannot run (%s) is a positioned error, not a SQL failure', async (query, message) => {
    const error = await Promise.resolve()
      .then(() => search(query))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).toMatch(/at \d+:\d+$/);
  });
});
