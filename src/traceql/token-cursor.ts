import { ParseError } from './parse-error.js';
import type { Punctuator, Token } from './token.js';
import { describeToken } from './token.js';

/**
 * How deep brackets and prefix operators may nest. The parser recurses once per level, and so do
 * the printer, the validator and the compiler; a bound keeps hostile input (`((((…`) from
 * overflowing the stack, and no hand-written query comes near it.
 */
export const MAX_NESTING = 64;

/** After these a missing value is "unexpected", not "expected after". */
const OPENERS: ReadonlySet<string> = new Set(['{', '(', ',', '|']);

/** The parser's view of the token list: look ahead, consume, expect, and count nesting. */
export class TokenCursor {
  private index = 0;
  private nesting = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  peek(ahead = 0): Token {
    return this.tokens[Math.min(this.index + ahead, this.tokens.length - 1)];
  }

  /** The token consumed last, if any. */
  previous(): Token | undefined {
    return this.index > 0 ? this.tokens[this.index - 1] : undefined;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.index++;
    return token;
  }

  isPunct(value: Punctuator, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'punct' && token.value === value;
  }

  isWord(value: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.kind === 'word' && token.value === value;
  }

  /** Consumes the punctuator if it is next. */
  eat(value: Punctuator): boolean {
    if (!this.isPunct(value)) return false;
    this.index++;
    return true;
  }

  /** Consumes the punctuator, or fails with `expected ')' but found …`. */
  expect(value: Punctuator): Token {
    if (!this.isPunct(value)) throw this.error(`expected '${value}' but found ${describeToken(this.peek())}`);
    return this.next();
  }

  /** An error at the next token. */
  error(detail: string): ParseError {
    return new ParseError(detail, this.peek().position);
  }

  /** `unexpected '}'`, or `expected a value after '>'` when the last token was an operator. */
  unexpected(what: string): ParseError {
    const token = this.peek();
    const previous = this.previous();
    if (previous?.kind === 'punct' && !OPENERS.has(previous.value)) {
      return this.error(`expected ${what} after '${previous.value}'`);
    }
    if (token.kind === 'end') return this.error(`expected ${what} but found end of query`);
    return this.error(`unexpected ${describeToken(token)}`);
  }

  /** Call on entering a bracket or prefix operator at `token`; pair with `leave`. */
  enter(token: Token): void {
    if (++this.nesting > MAX_NESTING) {
      throw new ParseError(`query nested too deeply (more than ${MAX_NESTING} levels)`, token.position);
    }
  }

  leave(): void {
    this.nesting--;
  }
}
