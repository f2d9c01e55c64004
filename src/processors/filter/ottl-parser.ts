import type { CompareOp, OttlExpr, OttlOperand } from './ottl-ast.js';
import { OttlParseError } from './ottl-ast.js';
import type { Token } from './ottl-lexer.js';
import { tokenize } from './ottl-lexer.js';
import { goRegExp } from './ottl-regex.js';

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

/**
 * Parses an OTTL boolean expression (the subset documented in the README): `or`, `and`, `not`,
 * parentheses, comparisons between paths and literals, enums, and `IsMatch(target, "regex")`.
 */
export function parseOttlCondition(text: string): OttlExpr {
  const parser = new OttlParser(text);
  const expr = parser.condition();
  if (parser.peek().t !== 'end') parser.fail('unexpected text after the condition');
  return expr;
}

/**
 * A recursive-descent reader over one OTTL text's tokens: conditions and operands here, and
 * statements (ottl-statement-parser.ts) on top of the same cursor.
 */
export class OttlParser {
  private readonly tokens: Token[];
  private pos = 0;

  constructor(text: string) {
    this.tokens = tokenize(text);
  }

  peek(): Token {
    return this.tokens[this.pos];
  }

  /** The token `offset` places ahead of the current one (the end token past the last). */
  peekAt(offset: number): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)];
  }

  /** Consumes and returns the current token. */
  next(): Token {
    return this.tokens[this.pos++];
  }

  fail(problem: string, token = this.peek()): never {
    throw new OttlParseError(token.at + 1, problem);
  }

  isOp(v: string): boolean {
    const tok = this.peek();
    return tok.t === 'op' && tok.v === v;
  }

  isOpAt(offset: number, v: string): boolean {
    const tok = this.peekAt(offset);
    return tok.t === 'op' && tok.v === v;
  }

  expectOp(v: string): void {
    if (!this.isOp(v)) this.fail(`expected "${v}"`);
    this.pos++;
  }

  isWord(v: string): boolean {
    const tok = this.peek();
    return tok.t === 'id' && tok.v === v;
  }

  /** `a or b`, the loosest-binding level. */
  condition(): OttlExpr {
    let left = this.conjunction();
    while (this.isWord('or')) {
      this.pos++;
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): OttlExpr {
    let left = this.negation();
    while (this.isWord('and')) {
      this.pos++;
      left = { kind: 'and', left, right: this.negation() };
    }
    return left;
  }

  private negation(): OttlExpr {
    if (this.isWord('not')) {
      this.pos++;
      return { kind: 'not', operand: this.negation() };
    }
    if (this.isOp('(')) {
      this.pos++;
      const inner = this.condition();
      this.expectOp(')');
      return inner;
    }
    return this.comparison();
  }

  private comparison(): OttlExpr {
    const tok = this.peek();
    if (tok.t === 'id' && tok.v === 'IsMatch') {
      this.pos++;
      this.expectOp('(');
      const target = this.operand();
      this.expectOp(',');
      const patternToken = this.peek();
      if (patternToken.t !== 'str') return this.fail('IsMatch needs a string pattern');
      this.pos++;
      this.expectOp(')');
      return { kind: 'isMatch', target, pattern: this.regex(patternToken) };
    }
    const left = this.operand();
    const op = this.peek();
    if (op.t === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(op.v)) {
      this.pos++;
      return { kind: 'compare', op: op.v as CompareOp, left, right: this.operand() };
    }
    return { kind: 'bool', operand: left };
  }

  /** A string token's text as a Go-syntax regular expression, compiled now so a bad one fails at start. */
  regex(token: Token & { t: 'str' }, flags = ''): RegExp {
    try {
      return goRegExp(token.v, flags);
    } catch (error) {
      return this.fail(`invalid regular expression: ${(error as Error).message}`, token);
    }
  }

  /** A literal, an enum or a path such as `resource.attributes["k"]`. */
  operand(): OttlOperand {
    const tok = this.next();
    if (tok.t === 'str') return { kind: 'literal', value: tok.v };
    if (tok.t === 'num') return { kind: 'literal', value: tok.v };
    if (tok.t !== 'id') return this.fail('expected a path, a value or IsMatch(...)', tok);
    if (tok.v === 'true' || tok.v === 'false') return { kind: 'literal', value: tok.v === 'true' };
    if (tok.v === 'nil') return { kind: 'literal', value: null };
    if (/^[A-Z][A-Z0-9_]*$/.test(tok.v)) {
      if (!(tok.v in ENUMS))
        return this.fail(`unknown enum ${tok.v}; known: ${Object.keys(ENUMS).join(', ')}`, tok);
      return { kind: 'literal', value: ENUMS[tok.v] };
    }
    const parts = [tok.v];
    while (this.isOp('.')) {
      this.pos++;
      const next = this.peek();
      if (next.t !== 'id') return this.fail('expected a name after "."');
      parts.push(next.v);
      this.pos++;
    }
    let key: string | undefined;
    if (this.isOp('[')) {
      this.pos++;
      const k = this.peek();
      if (k.t !== 'str') return this.fail('expected a string key in [...]');
      key = k.v;
      this.pos++;
      this.expectOp(']');
    }
    return { kind: 'path', path: parts.join('.'), key, column: tok.at + 1 };
  }
}
