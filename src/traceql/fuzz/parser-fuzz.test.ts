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
  it(`parses ${GENERATED} generated queries, each round-tripping through the printer`, () => {
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
  });

  it(`answers ${MUTATED} mutated queries with a tree or a ParseError, fast`, () => {
    const rng = createRng(SEED + 1);
    const failures: Failure[] = [];
    let slowest = { ms: 0, query: '' };
    let parsed = 0;
    for (let i = 0; i < MUTATED && failures.length < 5; i++) {
      const query = mutateQuery(randomQuery(rng), rng);
      const first = timedParse(query);
      const result = first.result;
      let ms = first.ms;
      if (ms > TIME_LIMIT_MS) {
        // A GC pause or a busy neighbour is not the parser's fault: only a repeatable slowness is.
        ms = Math.min(ms, timedParse(query).ms, timedParse(query).ms);
      }
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
    expect(failures).toEqual([]);
    expect(slowest.ms, `slowest query: ${JSON.stringify(slowest.query.slice(0, 200))}`).toBeLessThan(
      TIME_LIMIT_MS,
    );
    // The mutations should leave a fair share parseable, or the round-trip half tests nothing.
    expect(parsed).toBeGreaterThan(MUTATED / 20);
  });
});
