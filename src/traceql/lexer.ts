import type { AttributeScope, Position } from './ast.js';
import { INTRINSIC_SCOPES, SCOPED_INTRINSICS, intrinsicForUnscopedName } from './intrinsics.js';
import type { Fail } from './lex-literals.js';
import { scanNumber, scanQuoted, scanRaw } from './lex-literals.js';
import { ParseError } from './parse-error.js';
import type { Punctuator, Token } from './token.js';

/**
 * Splits a TraceQL query into tokens, the last one of kind `end`. The lexer does not know whether
 * it is inside `{ }`: `>`, `<` and `!~` come out the same everywhere and the parser decides
 * (comparison inside a filter, structural operator between spansets).
 *
 * Attribute paths are one token each, read as Tempo reads them: after `span.`, `resource.`,
 * `parent.`, `event.`, `link.`, `instrumentation.` or a bare `.`, everything up to whitespace or
 * one of `{ } ( ) = ~ ! < > & | ^ ,` is the name (so `span.foo-bar` is one attribute), with
 * `"…"` parts for the rest (`span."http.route"`, `."a b"`).
 *
 * @throws ParseError on a character or literal that cannot start a token.
 */
export function tokenize(text: string): Token[] {
  return new Lexer(text).run();
}

/** Operators by first character, longest first, for maximal munch. */
const PUNCTUATORS: ReadonlyMap<string, readonly Punctuator[]> = new Map<string, readonly Punctuator[]>([
  ['!', ['!>>', '!<<', '!=', '!~', '!>', '!<', '!']],
  ['&', ['&>>', '&<<', '&&', '&>', '&<', '&~']],
  ['=', ['=~', '=']],
  ['>', ['>>', '>=', '>']],
  ['<', ['<<', '<=', '<']],
  ['|', ['||', '|']],
  ...[...'{}(),+-*/%^~'].map((char): [string, readonly Punctuator[]] => [char, [char as Punctuator]]),
]);

const ATTRIBUTE_SCOPES: ReadonlyMap<string, AttributeScope | 'parent'> = new Map<
  string,
  AttributeScope | 'parent'
>([
  ['span', 'span'],
  ['resource', 'resource'],
  ['event', 'event'],
  ['link', 'link'],
  ['instrumentation', 'instrumentation'],
  ['parent', 'parent'],
]);

/** Characters that end an unquoted attribute name, besides whitespace (Tempo's isAttributeRune). */
const ATTRIBUTE_ENDERS = '{}()=~!<>&|^,';

// Lookup tables for ASCII, the common case; the regular expressions only see other characters.
const ASCII_ATTRIBUTE = new Uint8Array(128);
const ASCII_WORD = new Uint8Array(128);
for (let code = 0; code < 128; code++) {
  const char = String.fromCharCode(code);
  ASCII_ATTRIBUTE[code] = code > 0x20 && code !== 0x7f && !ATTRIBUTE_ENDERS.includes(char) ? 1 : 0;
  ASCII_WORD[code] = /[A-Za-z0-9_]/.test(char) ? 1 : 0;
}

/** Go's unicode.IsSpace, which ends attribute names in Tempo; JS \s lacks only U+0085. */
const NON_ASCII_SPACE = /[\s\u0085]/u;
const NON_ASCII_LETTER = /\p{L}/u;
const NON_ASCII_WORD = /[\p{L}\p{N}]/u;

function isAttributeChar(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code < 128 ? ASCII_ATTRIBUTE[code] === 1 : !NON_ASCII_SPACE.test(text.charAt(i));
}

function isWordStart(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 128) return ASCII_WORD[code] === 1 && (code < 0x30 || code > 0x39);
  return NON_ASCII_LETTER.test(text.charAt(i));
}

function isWordChar(text: string, i: number): boolean {
  const code = text.charCodeAt(i);
  return code < 128 ? ASCII_WORD[code] === 1 : NON_ASCII_WORD.test(text.charAt(i));
}

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

class Lexer {
  private offset = 0;
  private readonly tokens: Token[] = [];
  // Positions are asked for in increasing order, so lines are counted once, not per token.
  private lineOffset = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  run(): Token[] {
    const { text } = this;
    for (;;) {
      for (
        let code = text.charCodeAt(this.offset);
        code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
      ) {
        code = text.charCodeAt(++this.offset);
      }
      const start = this.offset;
      if (start >= text.length) {
        this.push(start, start, { kind: 'end' });
        return this.tokens;
      }
      const code = text.charCodeAt(start);
      if (code === 0x22) {
        const { value, end } = scanQuoted(text, start, 'string', false, this.fail);
        this.push(start, end, { kind: 'string', value });
      } else if (code === 0x60) {
        const { value, end } = scanRaw(text, start, this.fail);
        this.push(start, end, { kind: 'string', value });
      } else if (isDigit(code) || (code === 0x2e && isDigit(text.charCodeAt(start + 1)))) {
        const { value, end } = scanNumber(text, start, this.fail);
        this.push(start, end, value);
      } else if (code === 0x2e) {
        this.attribute(start, start + 1, 'none', false);
      } else if (isWordStart(text, start)) {
        this.word(start);
      } else {
        this.punctuator(start);
      }
    }
  }

  private word(start: number): void {
    const { text } = this;
    let end = start + 1;
    while (end < text.length && isWordChar(text, end)) end++;
    const word = text.slice(start, end);
    const next = text.charCodeAt(end);
    const scope = next === 0x2e ? ATTRIBUTE_SCOPES.get(word) : undefined;
    if (scope !== undefined) {
      if (scope !== 'parent') return this.attribute(start, end + 1, scope, false);
      // Only span and resource scope a parent attribute; `parent.event.x` is the parent's `event.x`.
      for (const inner of ['span', 'resource'] as const) {
        if (text.startsWith(`${inner}.`, end + 1))
          return this.attribute(start, end + inner.length + 2, inner, true);
      }
      return this.attribute(start, end + 1, 'none', true);
    }
    if (next === 0x3a && INTRINSIC_SCOPES.has(word)) return this.scopedIntrinsic(start, end);
    this.push(start, end, { kind: 'word', value: word });
  }

  private scopedIntrinsic(start: number, colon: number): void {
    const { text } = this;
    let end = colon + 1;
    while (end < text.length && isWordChar(text, end)) end++;
    const written = text.slice(start, end);
    if (end === colon + 1) this.fail(`expected an intrinsic name after '${written}'`, start);
    const intrinsic = SCOPED_INTRINSICS.get(written);
    if (intrinsic === undefined) this.fail(`unknown intrinsic '${written}'`, start);
    this.push(start, end, { kind: 'intrinsic', value: intrinsic });
  }

  /** `nameStart` is just past the scope prefix (`span.`, `parent.resource.`, `.`). */
  private attribute(start: number, nameStart: number, scope: AttributeScope, parent: boolean): void {
    const { text } = this;
    let name = '';
    let quoted = false;
    let chunkStart = nameStart;
    let i = nameStart;
    while (i < text.length) {
      if (text.charCodeAt(i) === 0x22) {
        const part = scanQuoted(text, i, 'attribute name', true, this.fail);
        name += text.slice(chunkStart, i) + part.value;
        quoted = true;
        i = chunkStart = part.end;
      } else if (isAttributeChar(text, i)) {
        i++;
      } else {
        break;
      }
    }
    name += text.slice(chunkStart, i);
    if (name === '' && !quoted)
      this.fail(`expected an attribute name after '${text.slice(start, nameStart)}'`, start);
    const intrinsic = scope === 'none' && !parent && !quoted ? intrinsicForUnscopedName(name) : undefined;
    if (intrinsic !== undefined) this.push(start, i, { kind: 'intrinsic', value: intrinsic });
    else this.push(start, i, { kind: 'attribute', scope, parent, name });
  }

  private punctuator(start: number): void {
    const { text } = this;
    for (const candidate of PUNCTUATORS.get(text.charAt(start)) ?? []) {
      if (text.startsWith(candidate, start)) {
        this.push(start, start + candidate.length, { kind: 'punct', value: candidate });
        return;
      }
    }
    const codePoint = text.codePointAt(start) ?? 0;
    const shown =
      codePoint < 0x20 || codePoint === 0x7f
        ? `\\u${codePoint.toString(16).padStart(4, '0')}`
        : String.fromCodePoint(codePoint);
    this.fail(`unexpected character '${shown}'`, start);
  }

  private push(
    start: number,
    end: number,
    token: DistributiveOmit<Token, 'position' | 'end' | 'text'>,
  ): void {
    const fields = token as Partial<Record<'value' | 'scope' | 'parent' | 'name' | 'nanos', unknown>>;
    // Every token gets every field, so V8 sees one object shape: spreading the literal instead
    // (one shape per kind) made the lexer five times slower.
    const complete = {
      kind: token.kind,
      position: this.positionAt(start),
      end,
      text: this.text.slice(start, end),
      value: fields.value,
      scope: fields.scope,
      parent: fields.parent,
      name: fields.name,
      nanos: fields.nanos,
    };
    this.tokens.push(complete as unknown as Token);
    this.offset = end;
  }

  private readonly fail: Fail = (detail, offset) => {
    throw new ParseError(detail, this.positionAt(offset));
  };

  private positionAt(offset: number): Position {
    if (offset < this.lineOffset) {
      this.lineOffset = this.lineStart = 0;
      this.line = 1;
    }
    for (let i = this.lineOffset; i < offset; i++) {
      if (this.text.charCodeAt(i) === 0x0a) {
        this.line++;
        this.lineStart = i + 1;
      }
    }
    this.lineOffset = offset;
    return { line: this.line, column: offset - this.lineStart + 1, offset };
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
