import type { CompareOp, OttlExpr, OttlOperand } from './ottl-ast.js';
import { OttlParseError } from './ottl-ast.js';

type Token =
  | { t: 'str'; v: string; at: number }
  | { t: 'num'; v: number | bigint; at: number }
  | { t: 'id'; v: string; at: number }
  | { t: 'op'; v: string; at: number }
  | { t: 'end'; at: number };

const ENUMS: Record<string, bigint> = {
  SPAN_KIND_UNSPECIFIED: 0n,
  SPAN_KIND_INTERNAL: 1n,
  SPAN_KIND_SERVER: 2n,
  SPAN_KIND_CLIENT: 3n,
  SPAN_KIND_PRODUCER: 4n,
  SPAN_KIND_CONSUMER: 5n,
  STATUS_CODE_UNSET: 0n,
  STATUS_CODE_OK: 1n,
  STATUS_CODE_ERROR: 2n,
};

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let v = '';
      const at = i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        v += text[i++];
      }
      if (i >= text.length) throw new OttlParseError(at + 1, 'unterminated string');
      i++;
      out.push({ t: 'str', v, at });
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
      if (!m) throw new OttlParseError(i + 1, `unexpected "${c}"`);
      out.push({ t: 'num', v: m[1] || m[2] ? Number(m[0]) : BigInt(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i))!;
      out.push({ t: 'id', v: m[0], at: i });
      i += m[0].length;
    } else {
      const two = text.slice(i, i + 2);
      const op = ['==', '!=', '<=', '>='].includes(two) ? two : '<>()[].,'.includes(c) ? c : undefined;
      if (!op) throw new OttlParseError(i + 1, `unexpected "${c}"`);
      out.push({ t: 'op', v: op, at: i });
      i += op.length;
    }
  }
  out.push({ t: 'end', at: text.length });
  return out;
}

/**
 * Parses an OTTL boolean expression (the subset documented in the README): `or`, `and`, `not`,
 * parentheses, comparisons between paths and literals, enums, and `IsMatch(target, "regex")`.
 */
export function parseOttlCondition(text: string): OttlExpr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos];
  const fail = (problem: string, token = peek()): never => {
    throw new OttlParseError(token.at + 1, problem);
  };
  const isOp = (v: string): boolean => {
    const tok = peek();
    return tok.t === 'op' && tok.v === v;
  };
  const expectOp = (v: string): void => {
    if (!isOp(v)) fail(`expected "${v}"`);
    pos++;
  };
  const isWord = (v: string): boolean => {
    const tok = peek();
    return tok.t === 'id' && tok.v === v;
  };

  const parseOr = (): OttlExpr => {
    let left = parseAnd();
    while (isWord('or')) {
      pos++;
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): OttlExpr => {
    let left = parseNot();
    while (isWord('and')) {
      pos++;
      left = { kind: 'and', left, right: parseNot() };
    }
    return left;
  };
  const parseNot = (): OttlExpr => {
    if (isWord('not')) {
      pos++;
      return { kind: 'not', operand: parseNot() };
    }
    if (isOp('(')) {
      pos++;
      const inner = parseOr();
      expectOp(')');
      return inner;
    }
    return parseComparison();
  };
  const parseComparison = (): OttlExpr => {
    const tok = peek();
    if (tok.t === 'id' && tok.v === 'IsMatch') {
      pos++;
      expectOp('(');
      const target = parseOperand();
      expectOp(',');
      const patternToken = peek();
      if (patternToken.t !== 'str') return fail('IsMatch needs a string pattern');
      pos++;
      expectOp(')');
      let pattern: RegExp;
      try {
        pattern = new RegExp(patternToken.v.replaceAll('(?P<', '(?<'));
      } catch (error) {
        return fail(`invalid regular expression: ${(error as Error).message}`, patternToken);
      }
      return { kind: 'isMatch', target, pattern };
    }
    const left = parseOperand();
    const op = peek();
    if (op.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(op.v)) {
      pos++;
      return { kind: 'compare', op: op.v as CompareOp, left, right: parseOperand() };
    }
    return { kind: 'bool', operand: left };
  };
  const parseOperand = (): OttlOperand => {
    const tok = peek();
    pos++;
    if (tok.t === 'str') return { kind: 'literal', value: tok.v };
    if (tok.t === 'num') return { kind: 'literal', value: tok.v };
    if (tok.t !== 'id') return fail('expected a path, a value or IsMatch(...)', tok);
    if (tok.v === 'true' || tok.v === 'false') return { kind: 'literal', value: tok.v === 'true' };
    if (tok.v === 'nil') return { kind: 'literal', value: null };
    if (/^[A-Z][A-Z0-9_]*$/.test(tok.v)) {
      if (!(tok.v in ENUMS))
        return fail(`unknown enum ${tok.v}; known: ${Object.keys(ENUMS).join(', ')}`, tok);
      return { kind: 'literal', value: ENUMS[tok.v] };
    }
    const parts = [tok.v];
    while (isOp('.')) {
      pos++;
      const next = peek();
      if (next.t !== 'id') return fail('expected a name after "."');
      parts.push(next.v);
      pos++;
    }
    let key: string | undefined;
    if (isOp('[')) {
      pos++;
      const k = peek();
      if (k.t !== 'str') return fail('expected a string key in [...]');
      key = k.v;
      pos++;
      expectOp(']');
    }
    return { kind: 'path', path: parts.join('.'), key };
  };

  const expr = parseOr();
  if (peek().t !== 'end') fail('unexpected text after the condition');
  return expr;
}
