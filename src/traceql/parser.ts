import type { PipelineStage, Query, SpansetExpression, SpansetOperator } from './ast.js';
import { METRICS_FUNCTIONS } from './keywords.js';
import { tokenize } from './lexer.js';
import { parseFieldExpression } from './parse-field.js';
import { parseStage, startsLeadingStage } from './parse-stage.js';
import { ParseError, UnsupportedError } from './parse-error.js';
import {
  ARITHMETIC_OPERATORS,
  SCALAR_COMPARISON_OPERATORS,
  SPANSET_OPERATORS,
  SPANSET_PRECEDENCE,
} from './precedence.js';
import type { Token } from './token.js';
import { describeToken } from './token.js';
import { TokenCursor } from './token-cursor.js';
import { validateQuery } from './validate.js';

/**
 * Parses and validates a TraceQL query (Grafana Tempo's language). The grammar, read by recursive
 * descent with precedence climbing over the tables in precedence.ts:
 *
 *   query    = pipeline | stage ("|" stage)*      a leading stage reads as `{ } | stage …`
 *   pipeline = spansets ("|" stage)*
 *   spansets = operand (op operand)*              && || loosest, then > >> < << ~ !> &> …
 *   operand  = "{" [field] "}" | "(" pipeline ")"
 *   stage    = spansets | scalar cmp scalar | select(refs) | by(fields) | coalesce()
 *            | metrics (last stage of the query only)
 *   field    = Tempo's field expression: || && < comparisons < + - < * / % < ^ (prefix - ! see
 *              precedence.ts)
 *
 * @throws ParseError with the position of the problem; UnsupportedError (a ParseError) for valid
 *   TraceQL that Tracehouse cannot run.
 */
export function parseTraceQL(text: string): Query {
  const cursor = new TokenCursor(tokenize(text));
  const query = parseRoot(cursor);
  const problem = validateQuery(query);
  if (problem !== undefined) throw problem;
  return query;
}

function parseRoot(cursor: TokenCursor): Query {
  const first = cursor.peek();
  if (first.kind === 'word' && first.value === 'coalesce') {
    throw new ParseError('a query cannot start with coalesce()', first.position);
  }
  if (first.kind === 'word' && METRICS_FUNCTIONS.has(first.value)) {
    throw new ParseError(
      `${first.value}() needs a spanset before it, as in '{ } | ${first.value}()'`,
      first.position,
    );
  }
  let query: Query;
  if (startsLeadingStage(cursor)) {
    // Tempo lets a query open with a stage (`count() > 2`, `by(.a) | …`): that stage applied to
    // every span, which is what `{ } | …` says, so that is the tree.
    const source: SpansetExpression = { kind: 'filter', condition: undefined, position: first.position };
    query = parseStages(cursor, source, [parseStage(cursor, parseSpansetOperand)]);
  } else {
    query = parsePipeline(cursor);
  }
  const after = cursor.peek();
  if (after.kind === 'end') return query;
  if (after.kind === 'word' && after.value === 'with') {
    throw new UnsupportedError('query hints (with(…)) are not supported', after.position);
  }
  throw cursor.error(`unexpected ${describeToken(after)}`);
}

/** `spanset (| stage)*`; a pipeline node only when there is a stage. */
function parsePipeline(cursor: TokenCursor): SpansetExpression {
  const source = parseSpansetOperand(cursor);
  return parseStages(cursor, source, []);
}

function parseStages(
  cursor: TokenCursor,
  source: SpansetExpression,
  stages: PipelineStage[],
): SpansetExpression {
  const position = source.position;
  while (cursor.eat('|')) stages.push(parseStage(cursor, parseSpansetOperand));
  return stages.length === 0 ? source : { kind: 'pipeline', source, stages, position };
}

/** A spanset expression without `|`: filters and parenthesised pipelines joined by spanset operators. */
function parseSpansetOperand(cursor: TokenCursor): SpansetExpression {
  return parseSpansetBinary(cursor, 1);
}

function parseSpansetBinary(cursor: TokenCursor, minPrecedence: number): SpansetExpression {
  const start = cursor.peek().position;
  let left = parseSpansetPrimary(cursor);
  for (;;) {
    const token = cursor.peek();
    if (endsWithMetrics(left) && token.kind === 'punct' && METRICS_MATH.has(token.value)) {
      throw new UnsupportedError(
        'arithmetic and comparisons on metrics results are not supported',
        token.position,
      );
    }
    const operator = spansetOperator(token);
    if (operator === undefined || SPANSET_PRECEDENCE[operator] < minPrecedence) return left;
    cursor.next();
    const right = parseSpansetBinary(cursor, SPANSET_PRECEDENCE[operator] + 1);
    left = { kind: 'spansetBinary', operator, left, right, position: start };
  }
}

/** Tempo's metrics math (`({} | rate()) / ({} | count_over_time())`) and metrics filters. */
const METRICS_MATH: ReadonlySet<string> = new Set([...ARITHMETIC_OPERATORS, ...SCALAR_COMPARISON_OPERATORS]);

function endsWithMetrics(expression: SpansetExpression): boolean {
  return expression.kind === 'pipeline' && expression.stages[expression.stages.length - 1].kind === 'metrics';
}

function spansetOperator(token: Token): SpansetOperator | undefined {
  if (token.kind !== 'punct') return undefined;
  return SPANSET_OPERATORS.get(token.value);
}

function parseSpansetPrimary(cursor: TokenCursor): SpansetExpression {
  const token = cursor.peek();
  if (token.kind === 'punct' && token.value === '{') {
    cursor.next();
    cursor.enter(token);
    if (cursor.peek().kind === 'end') throw cursor.error("expected '}' but found end of query");
    const condition = cursor.isPunct('}') ? undefined : parseFieldExpression(cursor);
    cursor.expect('}');
    cursor.leave();
    return { kind: 'filter', condition, position: token.position };
  }
  if (token.kind === 'punct' && token.value === '(') {
    cursor.next();
    cursor.enter(token);
    const inner = parsePipeline(cursor);
    cursor.expect(')');
    cursor.leave();
    return inner;
  }
  const previous = cursor.previous();
  if (previous?.kind === 'punct' && previous.value !== '(' && previous.value !== '|') {
    throw cursor.error(`expected '{' after '${previous.value}'`);
  }
  throw cursor.error(`expected '{' but found ${describeToken(token)}`);
}
