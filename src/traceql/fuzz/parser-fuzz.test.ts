import { describe, expect, it } from 'vitest';
import type { Query } from '../ast.js';
import { ParseError } from '../parse-error.js';
import { parseTraceQL } from '../parser.js';
import { printTraceQL } from '../print.js';
import { sameTree, stripPositions } from '../strip-positions.js';
import { createRng, mutateQuery, randomQuery } from './query-generator.js';

const SEED = 0x7ace;
const GENERATED = 50_000;
const MUTATED = 50_000;
/** Per query; a slow machine shared with other work stays far below it unless the parser is not linear. */
const TIME_LIMIT_MS = 50;
/**
 * Each half takes 5–7 s of CPU on a slow core; the wall-clock limit is generous because on a
 * shared 2-core machine the same work has taken three times as long.
 */
const TEST_TIMEOUT_MS = 120_000;

interface Failure {
  readonly query: string;
  readonly problem: string;
}

/**
 * The printed form parses to the same tree. (Printing is then stable too: the printer reads no
 * positions, so equal trees print alike.)
 */
function roundTripProblem(ast: Query): string | undefined {
  const printed = printTraceQL(ast);
  let again: Query;
  try {
    again = parseTraceQL(printed);
  } catch (error) {
    return `printed form ${JSON.stringify(printed)} does not parse: ${String(error)}`;
  }
  if (sameTree(again, ast)) return undefined;
  const shown = JSON.stringify(stripPositions(again), (_key, value: unknown) =>
    typeof value === 'bigint' ? `${value}n` : value,
  );
  return `printed form ${JSON.stringify(printed)} parses to a different tree: ${shown}`;
}

/** CPU milliseconds one parse takes. */
function cpuMs(query: string): number {
  const start = process.cpuUsage();
  try {
    parseTraceQL(query);
  } catch {
    // Only the time matters here.
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

/** How long one parse takes, and its tree or the error it threw. */
function timedParse(query: string): { ms: number; result: unknown } {
  const start = performance.now();
  let result: unknown;
  try {
    result = parseTraceQL(query);
  } catch (error) {
    result = error;
  }
  return { ms: performance.now() - start, result };
}

describe('TraceQL parser fuzz', () => {
  it(
    `parses ${GENERATED} generated queries, each round-tripping through the printer`,
    () => {
      const rng = createRng(SEED);
      const failures: Failure[] = [];
      for (let i = 0; i < GENERATED && failures.length < 5; i++) {
        const query = randomQuery(rng);
        try {
          const problem = roundTripProblem(parseTraceQL(query));
          if (problem !== undefined) failures.push({ query, problem });
        } catch (error) {
          failures.push({ query, problem: String(error) });
        }
      }
      expect(failures).toEqual([]);
    },
    TEST_TIMEOUT_MS,
  );

  it(
    `answers ${MUTATED} mutated queries with a tree or a ParseError, fast`,
    () => {
      // Nobody reads the stacks of the ~45,000 expected ParseErrors, and capturing them under the
      // test runner's deep stack was a fifth of this test's time.
      const stackTraceLimit = Error.stackTraceLimit;
      Error.stackTraceLimit = 0;
      let outcome: MutatedOutcome;
      try {
        outcome = runMutated();
      } finally {
        Error.stackTraceLimit = stackTraceLimit;
      }
      const { failures, slowest, parsed } = outcome;
      expect(failures).toEqual([]);
      expect(slowest.ms, `slowest: ${JSON.stringify(slowest.query.slice(0, 200))}`).toBeLessThan(
        TIME_LIMIT_MS,
      );
      // The mutations should leave a fair share parseable, or the round-trip half tests nothing.
      expect(parsed).toBeGreaterThan(MUTATED / 20);
    },
    TEST_TIMEOUT_MS,
  );
});

interface MutatedOutcome {
  readonly failures: readonly Failure[];
  readonly slowest: { readonly ms: number; readonly query: string };
  readonly parsed: number;
}

function runMutated(): MutatedOutcome {
  const rng = createRng(SEED + 1);
  const failures: Failure[] = [];
  let slowest = { ms: 0, query: '' };
  let parsed = 0;
  for (let i = 0; i < MUTATED && failures.length < 5; i++) {
    const query = mutateQuery(randomQuery(rng), rng);
    const { result, ms: firstMs } = timedParse(query);
    // Wall time is cheap to take but a busy neighbour inflates it; a slow one is measured again
    // in CPU time, which only a parser that is not linear can make slow every time.
    const ms = firstMs > TIME_LIMIT_MS ? Math.min(cpuMs(query), cpuMs(query), cpuMs(query)) : firstMs;
    if (ms > slowest.ms) slowest = { ms, query };
    if (result instanceof ParseError) continue;
    if (result instanceof Error || typeof result !== 'object' || result === null) {
      failures.push({ query, problem: `threw ${String(result)}` });
      continue;
    }
    parsed++;
    const problem = roundTripProblem(result as Query);
    if (problem !== undefined) failures.push({ query, problem });
  }
  return { failures, slowest, parsed };
}
