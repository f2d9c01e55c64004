import type { FieldExpression, StaticValue } from '../traceql/ast.js';

const POSITION = { line: 1, column: 1, offset: 0 } as const;

const INT64_MAX = 2n ** 63n - 1n;

/**
 * `field = text` as the tag searches mean it (Jaeger's `tag=k:v`, Tempo's `tags=k=v`): a tag value
 * arrives as text, so the attribute matches it as a string and, where the text reads as one, as an
 * integer, a float or a boolean — `http.status_code=500` finds the integer 500, as Jaeger finds it
 * by the tag's text. The forms are ORed, so a string attribute always matches its own text.
 */
export function tagValueMatch(field: FieldExpression, text: string): FieldExpression {
  return typedValues(text)
    .map((value): FieldExpression => ({
      kind: 'binary',
      operator: '=',
      left: field,
      right: { kind: 'static', value, position: POSITION },
      position: POSITION,
    }))
    .reduce((all, next) => ({ kind: 'binary', operator: '||', left: all, right: next, position: POSITION }));
}

function typedValues(text: string): StaticValue[] {
  const values: StaticValue[] = [{ type: 'string', value: text }];
  if (/^[+-]?\d+$/.test(text)) {
    const int = BigInt(text);
    if (int <= INT64_MAX && int >= -INT64_MAX - 1n) values.push({ type: 'int', value: int });
  } else if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) && Number.isFinite(Number(text))) {
    values.push({ type: 'float', value: Number(text) });
  }
  if (text === 'true' || text === 'false') values.push({ type: 'bool', value: text === 'true' });
  return values;
}
