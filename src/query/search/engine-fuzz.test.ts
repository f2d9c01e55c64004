import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { FixtureStore } from '../../../test/support/fixture-store.js';
import { openFixtureStore } from '../../../test/support/fixture-store.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { traceqlFixture } from '../../../test/support/traceql-fixture.js';
import { registerSearchRoute } from '../../api/tempo/search-route.js';
import { createRng, mutateQuery, randomQuery } from '../../traceql/fuzz/query-generator.js';
import { ParseError } from '../../traceql/parse-error.js';
import { parseTraceQL } from '../../traceql/parser.js';
import { planSearch } from '../../traceql/sql/search-plan.js';

/*
 * The engine under random and mutated TraceQL (the parser alone takes 100,000: parser-fuzz.test.ts). 30,000 go through parse and compile (the
 * part that could throw something other than a ParseError); a sample of them runs end to end
 * through /api/search on the fixture, where every answer must be 200 or a 400 with a reason —
 * never a 500, never ClickHouse's own error text — and within the per-query time budget.
 */
const COMPILED = 30_000;
const EXECUTED = 400;
const baseMs = Date.now() - 10 * 60_000;
let fixture: FixtureStore;
let app: FastifyInstance;

beforeAll(async () => {
  fixture = await openFixtureStore({ 'single-tenant': traceqlFixture(baseMs).slice(0, 4) });
  const { store } = fixture;
  app = Fastify();
  registerSearchRoute(app, store, { timeoutMs: 5_000 });
});

afterAll(async () => {
  await app?.close();
  await fixture?.close();
});

function query(rng: ReturnType<typeof createRng>): string {
  const generated = randomQuery(rng);
  return rng.next() < 0.5 ? generated : mutateQuery(generated, rng);
}

describe('TraceQL engine fuzzing', () => {
  it(`compiles ${COMPILED} random and mutated queries: a plan or a positioned ParseError, nothing else`, () => {
    const rng = createRng(0xe9e);
    const failures: string[] = [];
    let planned = 0;
    for (let i = 0; i < COMPILED; i++) {
      const text = query(rng);
      try {
        planSearch(parseTraceQL(text));
        planned++;
      } catch (error) {
        if (!(error instanceof ParseError) || !/ at \d+:\d+$/.test(error.message)) {
          failures.push(`${JSON.stringify(text)}: ${String(error)}`);
        }
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    // The generator must keep producing runnable queries, or the sample below tests little.
    expect(planned).toBeGreaterThan(COMPILED / 10);
  });

  it(`runs ${EXECUTED} of them through /api/search: 200 or a 400 with a reason, never a 500 or a ClickHouse error`, async () => {
    const rng = createRng(0x5ea);
    const start = Math.floor(baseMs / 1000) - 60;
    const statuses = new Map<number, number>();
    let executed = 0;
    while (executed < EXECUTED) {
      const text = query(rng);
      try {
        parseTraceQL(text);
      } catch {
        continue;
      }
      executed++;
      const response = await app.inject({
        method: 'GET',
        url: '/api/search',
        query: { q: text, start: String(start), end: String(start + 180), limit: '5' },
      });
      statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      expect([200, 400], `${text} → ${response.statusCode} ${response.body}`).toContain(response.statusCode);
      if (response.statusCode === 400) expect(response.body, text).not.toMatch(/Code: \d+|DB::Exception/);
    }
    // Most 400s are constructs not supported yet (parent attributes, childCount): README lists them.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(EXECUTED / 5);
  });
});
