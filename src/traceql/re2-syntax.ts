/**
 * The mistakes in a regular expression that RE2 refuses and a scan can find without an RE2: a
 * trailing backslash, an unbalanced parenthesis, an unclosed bracket. Tempo (Go's regexp/syntax,
 * RE2's grammar) and ClickHouse's `match()` (RE2 itself) both refuse these, but ClickHouse only
 * when it gets to compile the pattern, which a search over no data never does: checked here, a
 * query answers the same 400 whatever is stored. The messages are Go's (regexp/syntax ErrorCode).
 *
 * Not a full RE2 check (bad escapes, repetitions, ranges and names pass): undefined means "none of
 * these", not "valid"; the rest is still found, as before, by ClickHouse.
 */
export function re2SyntaxProblem(pattern: string): string | undefined {
  let depth = 0;
  let i = 0;
  while (i < pattern.length) {
    const char = pattern[i];
    if (char === '\\') {
      if (i + 1 === pattern.length) return TRAILING_BACKSLASH;
      if (pattern[i + 1] === 'Q') {
        // `\Q…\E` is literal text, `\E` optional at the end of the pattern.
        const end = pattern.indexOf('\\E', i + 2);
        if (end < 0) break;
        i = end + 2;
      } else {
        i += 2;
      }
    } else if (char === '(') {
      depth++;
      i++;
    } else if (char === ')') {
      if (depth === 0) return 'unexpected )';
      depth--;
      i++;
    } else if (char === '[') {
      const end = classEnd(pattern, i);
      if (typeof end === 'string') return end;
      i = end + 1;
    } else {
      i++;
    }
  }
  return depth > 0 ? 'missing closing )' : undefined;
}

const TRAILING_BACKSLASH = 'trailing backslash at end of expression';

/**
 * Where the character class opened at `start` closes, or why it does not. A `]` first in the
 * class (after `^`) is a literal, as is every `(`, `)` and `[` inside it; `[:alpha:]` is a named
 * class, which Go takes for one up to the next `:]`.
 */
function classEnd(pattern: string, start: number): number | string {
  let i = start + 1;
  if (pattern[i] === '^') i++;
  if (pattern[i] === ']') i++;
  while (i < pattern.length) {
    const char = pattern[i];
    if (char === '\\') {
      if (i + 1 === pattern.length) return TRAILING_BACKSLASH;
      i += 2;
    } else if (char === ']') {
      return i;
    } else if (char === '[' && pattern[i + 1] === ':') {
      const named = pattern.indexOf(':]', i + 2);
      i = named < 0 ? i + 1 : named + 2;
    } else {
      i++;
    }
  }
  return 'missing closing ]';
}
