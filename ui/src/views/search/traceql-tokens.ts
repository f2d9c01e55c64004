export type TokenType =
  'brace' | 'operator' | 'keyword' | 'field' | 'string' | 'number' | 'space' | 'punct' | 'other';

export interface Token {
  type: TokenType;
  text: string;
  start: number;
}

const KEYWORDS = new Set([
  'true',
  'false',
  'nil',
  'error',
  'ok',
  'unset',
  'server',
  'client',
  'producer',
  'consumer',
  'internal',
  'unspecified',
  'by',
  'select',
  'count',
  'avg',
  'min',
  'max',
  'sum',
  'coalesce',
  'with',
  'rate',
]);
export const INTRINSICS = [
  'name',
  'status',
  'statusMessage',
  'duration',
  'kind',
  'rootName',
  'rootServiceName',
  'traceDuration',
  'span:id',
  'trace:id',
  'event:name',
  'link:traceID',
  'instrumentation:name',
  'nestedSetParent',
];

// Order matters: longest operators first.
const PATTERNS: [TokenType, RegExp][] = [
  ['space', /\s+/y],
  ['string', /"(?:[^"\\]|\\.)*"?|`[^`]*`?/y],
  ['number', /-?\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h)?/y],
  [
    'field',
    /(?:span|resource|event|link|instrumentation|trace)?[.:][\w.:-]*|[A-Za-z_][\w]*(?:[.:][\w.:-]+)?/y,
  ],
  ['brace', /[{}()]/y],
  ['operator', /&&|\|\||!=|=~|!~|>=|<=|>>|<<|!>>|!<<|[=<>!~|&+\-*/%^]/y],
  ['punct', /[,[\]]/y],
];

/** TraceQL split into coloured runs for the editor; total (every character lands in one token). */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    let matched = false;
    for (const [type, pattern] of PATTERNS) {
      pattern.lastIndex = at;
      const m = pattern.exec(text);
      if (m && m[0].length > 0) {
        const word = m[0];
        const kind = type === 'field' && KEYWORDS.has(word) ? 'keyword' : type;
        tokens.push({ type: kind, text: word, start: at });
        at += word.length;
        matched = true;
        break;
      }
    }
    if (!matched) {
      tokens.push({ type: 'other', text: text[at], start: at });
      at++;
    }
  }
  return tokens;
}

export type Completion =
  | { kind: 'field'; prefix: string; from: number }
  | { kind: 'value'; field: string; prefix: string; from: number; quoted: boolean };

/**
 * What to suggest at the cursor: an attribute name where a field can start (after `{`, `&&`,
 * `||`, `(` or a scope prefix being typed), or a value right after `field =` (or `!=`, `=~`, `!~`).
 */
export function completionAt(text: string, cursor: number): Completion | undefined {
  const before = text.slice(0, cursor);
  const value =
    /((?:span|resource|event|link|instrumentation)?\.[\w.-]+|[A-Za-z_][\w.:]*)\s*(?:=|!=|=~|!~)\s*("?)((?:[^"\\]|\\.)*)$/.exec(
      before,
    );
  if (value && !(value[2] === '' && value[3].includes(' '))) {
    return {
      kind: 'value',
      field: value[1],
      prefix: value[3],
      from: cursor - value[3].length - value[2].length,
      quoted: value[2] === '"',
    };
  }
  const word = /(?:^|[\s{(&|!])((?:span|resource|event|link|instrumentation)?\.?[\w.:-]*)$/.exec(before);
  if (word === null) return undefined;
  const prefix = word[1];
  const lead = before.slice(0, cursor - prefix.length).trimEnd();
  if (!/(^|[{(]|&&|\|\|)$/.test(lead)) return undefined;
  return { kind: 'field', prefix, from: cursor - prefix.length };
}
