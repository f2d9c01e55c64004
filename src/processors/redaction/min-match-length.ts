/*
 * A lower bound on the length of any match of a regular expression, so that the redaction
 * processor can skip values too short to hold one without running the regex (a card-number
 * pattern needs 16 characters; most attribute values — methods, versions, short names — have
 * fewer). Only a plain sequence of single-character atoms with quantifiers is understood; for
 * anything else (groups, alternation, backreferences, lookarounds) the bound is 0, which skips
 * nothing. The bound counts UTF-16 units: every atom understood here consumes at least one.
 */

/** Zero-width escapes and anchors. */
const ZERO_WIDTH_ESCAPES = new Set(['b', 'B']);
/**
 * Escapes this analysis does not follow: backreferences and legacy octal (`\1`, `\012`), named
 * backreferences, `\p{..}`, `\c`.
 */
const UNSUPPORTED_ESCAPES = /[0-9kpPc]/;
/** What `\x` and `\u` must be followed by to be one character; otherwise (no `u` flag) they are literals. */
const HEX_ESCAPE = { x: /^[0-9a-fA-F]{2}/, u: /^(?:[0-9a-fA-F]{4}|\{[0-9a-fA-F]+\})/ } as const;

/** At least how many UTF-16 units any match of `re` spans; 0 when unsure. */
export function minMatchLength(re: RegExp): number {
  // With `v`, a class may match strings of any length, the empty one included.
  if (re.flags.includes('v')) return 0;
  const src = re.source;
  let total = 0;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    let width: number;
    if (c === '^' || c === '$') {
      width = 0;
      i++;
    } else if (c === '\\') {
      const next = src[i + 1];
      if (next === undefined || UNSUPPORTED_ESCAPES.test(next)) return 0;
      width = ZERO_WIDTH_ESCAPES.has(next) ? 0 : 1;
      i += 2;
      if (next === 'x' || next === 'u') {
        // \xHH, \uHHHH and \u{...} are one character each: skip their digits. A surrogate's \u
        // escape may pair with the next one under the `u` flag (a quantifier then repeats the
        // pair): give up on those, as on literal surrogates below.
        const digits = HEX_ESCAPE[next].exec(src.slice(i));
        if (!digits) return 0;
        // Without `u`, \u{2} is "u" twice, and \u{0} matches the empty string.
        if (digits[0].startsWith('{') && !re.unicode) return 0;
        if (next === 'u' && /^[dD][89a-fA-F]/.test(digits[0])) return 0;
        i += digits[0].length;
      }
    } else if (c >= '\ud800' && c <= '\udfff') {
      // A literal surrogate pair: under the `u` flag a quantifier after it repeats both halves.
      return 0;
    } else if (c === '[') {
      const end = classEnd(src, i);
      if (end < 0) return 0;
      // An empty class `[]` never matches and `[^]` matches anything: both are still one unit or none.
      width = 1;
      i = end + 1;
    } else if ('()|'.includes(c)) {
      return 0;
    } else if ('*+?{'.includes(c)) {
      return 0; // a quantifier with nothing before it: not a pattern we understand
    } else {
      width = 1;
      i++;
    }
    const quantified = readQuantifier(src, i);
    if (quantified === undefined) return 0;
    i = quantified.next;
    // A zero-width assertion repeated is still zero-width.
    total += width * quantified.min;
  }
  return total;
}

/** Index of the `]` closing the class opened at `start`, or -1. */
function classEnd(src: string, start: number): number {
  let i = start + 1;
  if (src[i] === '^') i++;
  for (; i < src.length; i++) {
    if (src[i] === '\\') i++;
    else if (src[i] === '[')
      return -1; // `v`-flag nested classes: not followed here
    else if (src[i] === ']') return i;
  }
  return -1;
}

/** The minimum repetition of the quantifier at `i` (1 when there is none) and where it ends. */
function readQuantifier(src: string, i: number): { min: number; next: number } | undefined {
  let min: number;
  let next: number;
  const c = src[i];
  if (c === '*' || c === '?') {
    min = 0;
    next = i + 1;
  } else if (c === '+') {
    min = 1;
    next = i + 1;
  } else if (c === '{') {
    const m = /^\{(\d+)(,\d*)?\}/.exec(src.slice(i));
    // Without the `u` flag a `{` that is not a quantifier is a literal; be safe and give up.
    if (!m) return undefined;
    min = Number(m[1]);
    next = i + m[0].length;
  } else return { min: 1, next: i };
  if (src[next] === '?') next++; // lazy: same minimum
  return { min, next };
}
