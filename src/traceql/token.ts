import type { AttributeScope, Intrinsic, Position } from './ast.js';

/** Every operator and bracket; the parser decides from context whether `>` is a comparison or "child". */
export type Punctuator =
  | '{'
  | '}'
  | '('
  | ')'
  | ','
  | '|'
  | '='
  | '!='
  | '=~'
  | '!~'
  | '>'
  | '>='
  | '<'
  | '<='
  | '&&'
  | '||'
  | '!'
  | '+'
  | '-'
  | '*'
  | '/'
  | '%'
  | '^'
  | '>>'
  | '<<'
  | '~'
  | '!>'
  | '!>>'
  | '!<'
  | '!<<'
  | '&>'
  | '&>>'
  | '&<'
  | '&<<'
  | '&~';

interface TokenBase {
  readonly position: Position;
  /** Offset just past the token. */
  readonly end: number;
  /** The token as written. */
  readonly text: string;
}

export type Token = TokenBase &
  (
    | { readonly kind: 'end' }
    | { readonly kind: 'punct'; readonly value: Punctuator }
    /** A bare word: keyword, bare intrinsic (`duration`), literal (`true`, `error`) or unknown. */
    | { readonly kind: 'word'; readonly value: string }
    | {
        readonly kind: 'attribute';
        readonly scope: AttributeScope;
        readonly parent: boolean;
        readonly name: string;
      }
    /** `span:id`, `trace:rootService`, or an unquoted `.name` that Tempo reads as the intrinsic. */
    | { readonly kind: 'intrinsic'; readonly value: Intrinsic }
    | { readonly kind: 'string'; readonly value: string }
    | { readonly kind: 'int'; readonly value: bigint }
    | { readonly kind: 'float'; readonly value: number }
    | { readonly kind: 'duration'; readonly nanos: bigint }
  );

const MAX_DESCRIBED_LENGTH = 24;

/** How an error message names a token: `'}'`, `'count'`, `end of query`. */
export function describeToken(token: Token): string {
  if (token.kind === 'end') return 'end of query';
  const text =
    token.text.length > MAX_DESCRIBED_LENGTH ? `${token.text.slice(0, MAX_DESCRIBED_LENGTH)}…` : token.text;
  return `'${text}'`;
}
