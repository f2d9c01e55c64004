import { describe, expect, it } from 'vitest';
import type { FieldExpression, PipelineStage, Query } from './ast.js';
import { ParseError } from './parse-error.js';
import { MAX_TREE_DEPTH, validateQuery } from './validate.js';

const at = (column: number) => ({ line: 1, column, offset: column - 1 });
const attr: FieldExpression = { kind: 'attribute', scope: 'span', name: 'a', parent: false, position: at(3) };
const one: FieldExpression = { kind: 'static', value: { type: 'int', value: 1n }, position: at(12) };
const rate = (column: number): PipelineStage => ({
  kind: 'metrics',
  function: 'rate',
  field: undefined,
  arguments: [],
  by: [],
  position: at(column),
});

describe('validateQuery', () => {
  it('returns nothing for a valid tree', () => {
    const query: Query = {
      kind: 'filter',
      condition: { kind: 'binary', operator: '=', left: attr, right: one, position: at(3) },
      position: at(1),
    };
    expect(validateQuery(query)).toBeUndefined();
  });

  it('returns the problem as a value, with the position of the node', () => {
    const query: Query = { kind: 'filter', condition: one, position: at(1) };
    const problem = validateQuery(query);
    expect(problem).toBeInstanceOf(ParseError);
    expect(problem?.message).toBe('a filter condition must be a boolean, not an integer at 1:12');
  });

  it('checks trees built by hand, not only parsed ones: metrics only last in the whole query', () => {
    const inner: Query = {
      kind: 'pipeline',
      source: { kind: 'filter', condition: undefined, position: at(2) },
      stages: [rate(7)],
      position: at(2),
    };
    const query: Query = { kind: 'pipeline', source: inner, stages: [rate(20)], position: at(1) };
    expect(validateQuery(query)?.message).toBe('rate() must be the last stage of the query at 1:7');
  });

  it('checks the first problem in reading order', () => {
    const bad = (column: number): FieldExpression => ({
      kind: 'unary',
      operator: '-',
      operand: { kind: 'static', value: { type: 'string', value: 'x' }, position: at(column + 1) },
      position: at(column),
    });
    const query: Query = {
      kind: 'filter',
      condition: { kind: 'binary', operator: '&&', left: bad(3), right: bad(20), position: at(3) },
      position: at(1),
    };
    expect(validateQuery(query)?.message).toBe("operator '-' needs a number, not a string at 1:3");
  });

  it('refuses a tree too deep to walk safely, without overflowing the stack itself', () => {
    let condition: FieldExpression = attr;
    for (let i = 0; i < 100_000; i++)
      condition = { kind: 'unary', operator: '!', operand: condition, position: at(1) };
    const problem = validateQuery({ kind: 'filter', condition, position: at(1) });
    expect(problem?.detail).toBe(`query nested too deeply (more than ${MAX_TREE_DEPTH} levels)`);
  });
});
