import type { Rng } from './random.js';
import { randomAttribute, randomCondition, randomNumber, randomReference } from './random-fields.js';

export type { Rng } from './random.js';
export { createRng } from './random.js';

/**
 * Random TraceQL for fuzzing. `randomQuery` writes valid queries from the grammar (every one must
 * parse and validate); `mutateQuery` garbles a query the ways people and attackers do (cut,
 * duplicated, deeply nested, stuffed with odd characters), so the result may or may not parse.
 * Deterministic for a given Rng seed, so a failure reproduces.
 */

export interface QueryOptions {
  /** Nesting of conditions and spanset operators; default 3. */
  readonly maxDepth?: number;
}

export function randomQuery(rng: Rng, options: QueryOptions = {}): string {
  const depth = options.maxDepth ?? 3;
  if (rng.chance(0.08)) return leadingStageQuery(rng, depth);
  const pipeline = randomPipeline(rng, depth);
  return rng.chance(0.15) ? `${pipeline} | ${randomMetrics(rng)}` : pipeline;
}

/** Tempo's queries that open with a stage: `count() > 2`, `by(.a) | { … }`, `select(.a)`. */
function leadingStageQuery(rng: Rng, depth: number): string {
  const first = rng.pick([
    () => randomScalarFilter(rng),
    () => `by(${randomAttribute(rng)})`,
    () => `select(${randomReference(rng)})`,
  ]);
  return rng.chance(0.5) ? first() : `${first()} | ${randomSpanset(rng, depth)}`;
}

function randomPipeline(rng: Rng, depth: number): string {
  const parts = [randomSpanset(rng, depth)];
  const stages = rng.chance(0.5) ? 0 : 1 + rng.int(3);
  for (let i = 0; i < stages; i++) parts.push(randomStage(rng, depth - 1));
  return parts.join(rng.pick([' | ', '|', ' |\n ']));
}

const SPANSET_OPERATORS = [
  '&&',
  '||',
  '>>',
  '>',
  '~',
  '<<',
  '<',
  '!>>',
  '!>',
  '!~',
  '!<<',
  '!<',
  '&>>',
  '&>',
  '&~',
  '&<<',
  '&<',
];

function randomSpanset(rng: Rng, depth: number): string {
  if (depth <= 0 || rng.chance(0.5)) return randomFilter(rng, depth);
  const operand = (): string => {
    if (rng.chance(0.2)) return `(${randomPipeline(rng, depth - 1)})`;
    const inner = randomSpanset(rng, depth - 1);
    return rng.chance(0.1) ? `(${inner})` : inner;
  };
  return `${operand()} ${rng.pick(SPANSET_OPERATORS)} ${operand()}`;
}

function randomFilter(rng: Rng, depth: number): string {
  if (rng.chance(0.08)) return rng.pick(['{}', '{ }', '{\n}']);
  const condition = randomCondition(rng, Math.max(depth, 1));
  return rng.pick([`{ ${condition} }`, `{${condition}}`, `{\n  ${condition}\n}`]);
}

function randomStage(rng: Rng, depth: number): string {
  switch (rng.int(6)) {
    case 0:
    case 1:
      return randomScalarFilter(rng);
    case 2:
      return randomSpanset(rng, Math.max(depth, 0));
    case 3:
      return `select(${list(rng, () => randomReference(rng))})`;
    case 4:
      return `by(${list(rng, () => rng.pick([randomAttribute(rng), 'name', `${randomAttribute(rng)} * 2`]))})`;
    default:
      return 'coalesce()';
  }
}

function randomScalarFilter(rng: Rng): string {
  const operator = rng.pick(['=', '!=', '<', '<=', '>', '>=']);
  const sides = [randomScalar(rng, 2, true), randomScalar(rng, 2, false)];
  if (rng.chance(0.3)) sides.reverse();
  return `${sides[0]} ${operator} ${sides[1]}`;
}

/** A scalar expression; with `aggregate`, one that contains an aggregate. */
function randomScalar(rng: Rng, depth: number, aggregate: boolean): string {
  if (depth <= 0 || rng.chance(0.5)) return aggregate ? randomAggregate(rng) : randomNumber(rng);
  const operator = rng.pick(['+', '-', '*', '/', '%', '^']);
  const left = randomScalar(rng, depth - 1, aggregate);
  const right = randomScalar(rng, depth - 1, false);
  const text = rng.chance(0.5) ? `${left} ${operator} ${right}` : `${right} ${operator} ${left}`;
  return rng.chance(0.3) ? `(${text})` : text;
}

function randomAggregate(rng: Rng): string {
  if (rng.chance(0.3)) return 'count()';
  const field = rng.pick([
    'duration',
    'span:childCount',
    'traceDuration',
    randomAttribute(rng),
    `${randomAttribute(rng)} * 2`,
  ]);
  return `${rng.pick(['avg', 'min', 'max', 'sum'])}(${field})`;
}

function randomMetrics(rng: Rng): string {
  const by = rng.chance(0.4) ? ` by (${list(rng, () => randomReference(rng))})` : '';
  switch (rng.int(4)) {
    case 0:
      return `${rng.pick(['rate', 'count_over_time'])}()${by}`;
    case 1: {
      const quantiles = list(rng, () => rng.pick(['0', '1', '.5', '0.9', '0.99', '0.999']));
      return `quantile_over_time(${randomReference(rng)}, ${quantiles})${by}`;
    }
    default:
      return `${rng.pick(['min', 'max', 'avg', 'sum', 'histogram'])}_over_time(${randomReference(rng)})${by}`;
  }
}

function list(rng: Rng, item: () => string): string {
  const items = [item()];
  while (items.length < 4 && rng.chance(0.35)) items.push(item());
  return items.join(rng.pick([', ', ',']));
}

const FRAGMENTS = [
  '{',
  '}',
  '(',
  ')',
  '|',
  '&&',
  '||',
  '!',
  '>',
  '>>',
  '<',
  '!~',
  '=~',
  '=',
  '==',
  '"',
  '`',
  '.',
  ',',
  '-',
  '^',
  '1',
  '1.5',
  '1e999',
  '99999999999999999999',
  '300ms',
  '1x',
  'µs',
  '0x1F',
  'span.',
  'span:',
  'span:foo',
  'parent.',
  'nil',
  'true',
  'count()',
  'rate()',
  'by(',
  'select(',
  'coalesce()',
  'with(sample=0.1)',
  'topk(5)',
  '\\',
  '\\u12',
  '\\x41',
  '\n',
  '\r\n',
  '\u0000',
  '\u00a0',
  '😀',
  '\ud800',
  ' ',
  '"\')) OR 1=1 --"',
  'nestedSetLeft',
  'foo',
  '&',
  '[',
];

/** `text` garbled by one to three random edits. */
export function mutateQuery(text: string, rng: Rng): string {
  let result = text;
  const edits = 1 + rng.int(3);
  for (let i = 0; i < edits; i++) result = mutateOnce(result, rng);
  return result;
}

function mutateOnce(text: string, rng: Rng): string {
  const at = rng.int(text.length + 1);
  // Long chains are slow to build and to parse, so they are a small share of the edits.
  if (rng.chance(0.04)) return longChain(rng);
  switch (rng.int(9)) {
    case 0:
      return text.slice(0, at) + text.slice(at + 1 + rng.int(5));
    case 1:
    case 2:
      return text.slice(0, at) + rng.pick(FRAGMENTS) + text.slice(at);
    case 3: {
      const from = rng.int(text.length + 1);
      return text.slice(0, at) + text.slice(from, from + rng.int(20)) + text.slice(at);
    }
    case 4:
      return text.slice(0, at);
    case 5: {
      const other = rng.int(text.length);
      const chars = [...text];
      [chars[at], chars[other]] = [chars[other], chars[at]];
      return chars.join('');
    }
    case 6: {
      const depth = 20 + rng.int(200);
      const opener = rng.pick(['(', '!', '-', '{ (', '({} | (']);
      return text.slice(0, at) + opener.repeat(depth) + text.slice(at);
    }
    case 7:
      return text.slice(0, at) + String.fromCodePoint(rng.int(0x2ffff)) + text.slice(at + 1);
    default:
      return text.slice(0, at) + randomNumber(rng) + text.slice(at);
  }
}

/** A query as long as the parser's limits, or past them: a tree hundreds of levels deep. */
function longChain(rng: Rng): string {
  const times = 10 + rng.int(1000);
  return rng.pick([
    `{ ${'.a = 1 && '.repeat(times)}.a = 1 }`,
    `${'{ .a } >> '.repeat(times)}{ .b }`,
    `{ ${'(.a + '.repeat(Math.min(times, 100))}1${')'.repeat(Math.min(times, 100))} > 0 }`,
    `{ .a = ${'2 ^ '.repeat(times)}2 }`,
    `{ } | ${'count() + '.repeat(times)}1 > 2`,
  ]);
}
